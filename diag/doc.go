// Package diag computes the territorial diagnostic of digital inclusion:
// advisors per 10,000 inhabitants, travel time to the nearest site,
// coverage within a threshold, E2SFCA accessibility, a composite fragility
// index, a gap score combining need and lack of access, roll-ups at every
// level (EPCI, département, région, France) and the ranking of communes.
//
// Every measure is computed over all loaded communes and sites (all of
// France), then reported for the requested territory, so a département's
// figures do not depend on where the run stops (no border effects).
//
// Accessibility is a floating catchment measure chosen by Params.Method
// (2SFCA, E2SFCA by default, 3SFCA, gravity; formulas in the doc of
// Method) with the distance-decay kernel Params.Decay (Gaussian by
// default, steps, none, power, exponential; formulas in the doc of Decay
// and DecayKind). With P_i the population of commune i, S_j the FTE of
// site j and W_ij the weight of their travel time within the threshold:
//
//	R_j = S_j / Σ_k G_kj·P_k·W_kj
//	A_i = Σ_j G_ij·R_j·W_ij
//
// where G = 1 except for 3SFCA (G_ij = W_ij / Σ_k W_ik). Every method
// conserves the supply: Σ_i A_i·P_i = Σ_j S_j over the sites whose
// catchment is not empty.
package diag
