package cputime

import (
	"os/exec"
	"testing"
)

func TestSelfGrowsWithWork(t *testing.T) {
	before := Self()
	x := 0
	for i := range 50_000_000 {
		x ^= i * i
	}
	if after := Self(); after <= before || x == 1 {
		t.Errorf("CPU seconds went from %v to %v over a busy loop", before, after)
	}
}

func TestOfReadsAnExitedChild(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("no `true` to run: %v", err)
	}
	if s, ok := Of(cmd.ProcessState); !ok || s < 0 {
		t.Errorf("Of = %v, %v; want a non-negative figure", s, ok)
	}
}
