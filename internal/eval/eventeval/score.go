package eventeval

// Score is precision, recall and F1.
type Score struct {
	P, R, F1 float64
}

func f1(p, r float64) Score {
	if p+r == 0 {
		return Score{p, r, 0}
	}
	return Score{p, r, 2 * p * r / (p + r)}
}

// Scores compares a clustering with the gold labels.
type Scores struct {
	Pairwise Score
	BCubed   Score
	Clusters int // predicted clusters
	Classes  int // gold classes
}

// score computes pairwise (Miranda et al., 2018) and BCubed (Amigó et al.,
// 2009) precision, recall and F1. pred and gold are parallel: item i is in
// cluster pred[i] and class gold[i].
func score(pred, gold []string) Scores {
	type pair struct{ p, g string }
	joint := map[pair]int{}
	cl := map[string]int{}
	cs := map[string]int{}
	for i := range pred {
		joint[pair{pred[i], gold[i]}]++
		cl[pred[i]]++
		cs[gold[i]]++
	}
	c2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, pp, gp float64
	for _, n := range joint {
		tp += c2(n)
	}
	for _, n := range cl {
		pp += c2(n)
	}
	for _, n := range cs {
		gp += c2(n)
	}
	var pw Score
	if pp > 0 && gp > 0 {
		pw = f1(tp/pp, tp/gp)
	} else if pp == 0 && gp == 0 {
		pw = Score{1, 1, 1}
	}
	// BCubed: each item's precision is the share of its cluster in its
	// class, recall the share of its class in its cluster; items sharing
	// a (cluster, class) cell share the values, so sum per cell.
	var bp, br float64
	for k, n := range joint {
		bp += float64(n) * float64(n) / float64(cl[k.p])
		br += float64(n) * float64(n) / float64(cs[k.g])
	}
	N := float64(len(pred))
	return Scores{Pairwise: pw, BCubed: f1(bp/N, br/N), Clusters: len(cl), Classes: len(cs)}
}
