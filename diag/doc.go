// Package diag computes the territorial diagnostic of digital inclusion:
// advisors per 10,000 inhabitants, travel time to the nearest site,
// coverage within a threshold, E2SFCA accessibility, a composite fragility
// index, a gap score combining need and lack of access, roll-ups at every
// level (EPCI, département, région, France) and the ranking of communes.
//
// Every measure is computed over all loaded communes and sites (all of
// France), then reported for the requested territory, so a département's
// figures do not depend on where the run stops (no border effects).
package diag
