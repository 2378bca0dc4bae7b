// Package htmlreport writes the diagnostic as one self-contained,
// interactive HTML file: key figures beside the région and France, a map
// of the communes coloured by a measure the reader chooses, the sites by
// kind, a commune search, sortable and filterable tables of communes and
// EPCI, the zones blanches, the planner's proposals, the methodology and
// the sources. The page loads nothing from the network: its script and
// style are small code of this package, embedded in the file with the
// data; the map is an SVG drawn from coordinates projected here
// (Lambert-93 in mainland France, UTM overseas), simplified and rounded
// to the map's resolution.
//
// The same page is the dashboard of `diagnum serve`, which swaps its
// data through Page values rendered by NewPage.
package htmlreport
