package route

import (
	"strconv"
	"strings"
)

// Speeds are the car speeds (km/h) per highway class, used when a way has
// no usable maxspeed tag. They are mean speeds, below the legal limits,
// of the same order as OSRM's car profile. A highway class absent from
// the table (footway, path, cycleway, track, steps, …) is not routable.
var Speeds = map[string]float64{
	"motorway": 90, "motorway_link": 45,
	"trunk": 85, "trunk_link": 40,
	"primary": 65, "primary_link": 30,
	"secondary": 55, "secondary_link": 25,
	"tertiary": 40, "tertiary_link": 20,
	"unclassified": 25, "residential": 25, "road": 25,
	"living_street": 10, "service": 15,
}

// frZoneSpeeds are the French implicit limits of maxspeed=FR:… tags.
var frZoneSpeeds = map[string]float64{"fr:urban": 50, "fr:rural": 80, "fr:motorway": 130, "fr:zone30": 30, "fr:walk": 6}

// MaxSpeedFactor scales a posted maxspeed to a mean speed (traffic,
// junctions, bends): a way tagged maxspeed=50 is driven at 40 km/h.
const MaxSpeedFactor = 0.8

// wayKmh returns the speed of a way from its tags: maxspeed × MaxSpeedFactor
// when maxspeed is a number (km/h, or "mph") or a FR: zone, else the
// highway class speed; 0 for a way cars cannot use.
func wayKmh(highway, maxspeed, access, motor string) float64 {
	base, ok := Speeds[highway]
	if !ok || access == "no" || access == "private" || motor == "no" {
		return 0
	}
	if v, ok := parseMaxspeed(maxspeed); ok {
		return v * MaxSpeedFactor
	}
	return base
}

// parseMaxspeed reads "50", "50 km/h", "30 mph", "FR:urban".
func parseMaxspeed(s string) (float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if v, ok := frZoneSpeeds[s]; ok {
		return v, true
	}
	f := 1.0
	if t, ok := strings.CutSuffix(s, "mph"); ok {
		s, f = t, 1.609344
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "km/h"))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 5 && v <= 150) {
		return 0, false
	}
	return v * f, true
}

// direction returns whether a way can be driven forward (node order) and
// backward: oneway=yes/true/1 forward only, oneway=-1/reverse backward
// only, motorways and roundabouts forward only unless oneway=no.
func direction(highway, oneway, junction string) (fwd, bwd bool) {
	switch strings.ToLower(oneway) {
	case "yes", "true", "1":
		return true, false
	case "-1", "reverse":
		return false, true
	case "no", "false", "0":
		return true, true
	}
	if highway == "motorway" || junction == "roundabout" || junction == "circular" {
		return true, false
	}
	return true, true
}
