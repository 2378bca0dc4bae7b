package data

// The placement rules of the embedded offer. make data (data/source)
// applies them and the workbook's Méthodologie states them, from these
// constants.

// AdvisorRadiusKm is how far from its structure's commune a place of
// conseillers numériques found by SIRET or SIREN may lie in another
// département. Advisors of a département council or an intercommunality
// work far from its seat but inside its département (Maripasoula is 200 km
// from Cayenne); a place in another département is taken as the
// structure's only within 50 km of its commune, the reach of an
// intercommunality or an association straddling a border. Beyond, a SIRET
// or SIREN match is an error of the source (a Rennes association matched to
// places in Gironde, 370 km away).
const AdvisorRadiusKm = 50.0

// CrossDuplicateKm is the distance within which two sites of different
// sources may be the same place (100 m: the geocodes of one address by
// two sources differ by a few tens of metres).
const CrossDuplicateKm = 0.100
