// Package source reads the raw open-data files the embedded data set is
// built from (make data, data/gen): the COG communes, départements,
// régions and EPCI of decoupage-administratif, the France Services list,
// the conseillers numériques structures and places and the posts they
// hold, the lieux de médiation numérique (Hinaura, portrea), the commune
// points, polygons and zonages (QPV, density, FRR, EPCI centroids), and
// the La MedNum IFN table. The command never reaches this package: what
// it reads is the model and the user formats of package data, into which
// every adapter here decodes, with the same *data.ParseError and
// data.Checks for each row it rejects or warns about.
//
// See data/SOURCES.md for the producer, vintage and licence of each file.
package source
