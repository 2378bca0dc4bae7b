#!/usr/bin/env python3
"""The numpy + scipy.spatial.cKDTree peer of diagnum's national measures.

What a Python analyst would write for the same inputs: for every commune
the travel time to the nearest counted site, and the E2SFCA accessibility
(Gaussian kernel, catchment d0), with the crow-fly travel-time model:

    t_ij = haversine_km(i, j) * detour / speed_kmh * 60
    W(t) = (exp(-t^2 / (2 d0^2)) - exp(-1/2)) / (1 - exp(-1/2))   for t <= d0, else 0
    R_j  = S_j / sum_k P_k W(t_kj)          (0 when the sum is 0)
    A_i  = sum_j R_j W(t_ij)

Points go on the unit sphere (x, y, z), where the chord length is an exact
monotonic function of the great-circle distance, so cKDTree's Euclidean
queries answer great-circle ones: query_pairs-like sparse_distance_matrix
for the pairs within reach, query(k=1) for the nearest site.

Usage: peer.py COMMUNES.csv SITES.csv OUT.csv ROUNDS D0 DETOUR SPEED
  COMMUNES.csv: lon,lat,pop (communes with a representative point)
  SITES.csv:    lon,lat,fte (counted sites)
Prints the median compute time over ROUNDS runs on stdout, after loading:
wall and CPU seconds; writes A_i and the nearest time of each commune to OUT.csv for the
caller to compare with diagnum's figures. Exits 3 when numpy or scipy is
missing (Debian: apt-get install python3-numpy python3-scipy).
"""
import statistics
import sys
import time

try:
    import numpy as np
    from scipy.spatial import cKDTree
except ImportError as exc:  # the caller prints the skip message
    print(f"missing: {exc}", file=sys.stderr)
    sys.exit(3)

R_EARTH = 6371.0088


def unit(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def haversine(lon1, lat1, lon2, lat2):
    la1, la2 = np.radians(lat1), np.radians(lat2)
    dla, dlo = la2 - la1, np.radians(lon2 - lon1)
    h = np.sin(dla / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin(dlo / 2) ** 2
    return 2 * R_EARTH * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def measures(c, s, d0, detour, speed):
    """Returns (A_i, nearest minutes) for communes c and sites s."""
    per_km = detour / speed * 60
    reach_km = d0 / per_km
    cu, su = unit(c[:, 0], c[:, 1]), unit(s[:, 0], s[:, 1])
    ct, st = cKDTree(cu), cKDTree(su)
    chord = 2 * np.sin(reach_km / R_EARTH / 2) * (1 + 1e-9)
    pairs = st.sparse_distance_matrix(ct, chord, output_type="ndarray")
    j, i = pairs["i"], pairs["j"]
    t = haversine(c[i, 0], c[i, 1], s[j, 0], s[j, 1]) * per_km
    keep = t <= d0
    i, j, t = i[keep], j[keep], t[keep]
    eh = np.exp(-0.5)
    w = np.maximum(0.0, (np.exp(-0.5 * (t / d0) ** 2) - eh) / (1 - eh))
    demand = np.bincount(j, weights=c[i, 2] * w, minlength=len(s))
    r = np.divide(s[:, 2], demand, out=np.zeros(len(s)), where=demand > 0)
    a = np.bincount(i, weights=r[j] * w, minlength=len(c))
    _, near = st.query(cu, k=1)
    tn = haversine(c[:, 0], c[:, 1], s[near, 0], s[near, 1]) * per_km
    return a, tn


def main():
    if len(sys.argv) != 8:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cfile, sfile, out = sys.argv[1:4]
    rounds, d0, detour, speed = int(sys.argv[4]), *map(float, sys.argv[5:8])
    c = np.loadtxt(cfile, delimiter=",", skiprows=1, ndmin=2)
    s = np.loadtxt(sfile, delimiter=",", skiprows=1, ndmin=2)
    times, cpus = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        a, tn = measures(c, s, d0, detour, speed)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    np.savetxt(out, np.column_stack((a, tn)), delimiter=",", fmt="%.17g", header="a,nearest_min", comments="")
    print(f"{statistics.median(times):.6f} {statistics.median(cpus):.6f}")


if __name__ == "__main__":
    main()
