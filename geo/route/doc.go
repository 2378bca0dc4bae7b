// Package route computes car travel times on a road graph built from an
// OpenStreetMap extract (.osm.pbf), with no routing server: speeds per
// highway class or from maxspeed tags, one-way streets, places snapped to
// the nearest routable node, and a Dijkstra search written here (a binary
// heap over a compressed adjacency array, forward and reverse), bounded
// when only times up to a threshold are needed.
package route
