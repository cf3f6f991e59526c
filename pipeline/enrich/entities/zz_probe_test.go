package entities

import (
	"encoding/csv"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	f, err := os.Open("/work/shared/data/uci-news/dev.csv")
	if err != nil {
		t.Skip(err)
	}
	rows, _ := csv.NewReader(f).ReadAll()
	rows = rows[1:]
	sort.SliceStable(rows, func(i, j int) bool {
		a, _ := strconv.ParseInt(rows[i][7], 10, 64)
		b, _ := strconv.ParseInt(rows[j][7], 10, 64)
		return a < b
	})
	x := newX(t)
	one := map[string]int{}
	for _, r := range rows {
		got := x.Extract(r[1], "", "en")
		for _, e := range got {
			if e.Kind == Person && !strings.Contains(strings.TrimPrefix(e.Key, "person:"), "_") {
				one[e.Key]++
			}
		}
	}
	for k, n := range one {
		fmt.Printf("ONEWORD %3d %s\n", n, k)
	}
}
