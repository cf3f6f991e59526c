package feed

import (
	"context"
	"reflect"
	"testing"
)

// A loop lives as long as its feed; a context it keeps between polls is
// held by every idle feed (a value context carrying its host slots was
// 48 B of every feed, and its two fields 32 B of every loop). What a poll
// needs of a context is made with the poll's deadline (pollDeadline),
// which a feed polled a minute or more apart lets go of (releaseIdle):
// the loop itself keeps none.
func TestALoopKeepsNoContextBetweenPolls(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	typ := reflect.TypeFor[loop]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.Type == ctxType {
			t.Errorf("loop.%s is a context kept from poll to poll", f.Name)
		}
	}
}
