// Package geo holds the spatial core of diagnum: great-circle distances,
// the travel-time model (and an OSRM backend behind the same interface),
// an R-tree index of points with k-nearest and within-radius queries, and
// an index of polygons for point-in-polygon assignment.
package geo
