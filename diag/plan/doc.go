// Package plan is the placement planner of diagnum: where to add
// conseiller numérique posts so that they cover the most fragile
// population not yet covered, and scenarios of sites added or removed.
package plan
