package dedupe

// slotKeys is every slot's key in slot order (0: dead), as a flat slice.
func slotKeys(x *index) []uint64 {
	ks := make([]uint64, x.slots())
	for s := range ks {
		ks[s] = x.key(uint32(s))
	}
	return ks
}
