package data

// KnownForTest is testKnown for the external tests (package data_test),
// which may import data/source.
var KnownForTest = testKnown

// CheckTextsForTest is checkTexts for the external tests.
var CheckTextsForTest = checkTexts
