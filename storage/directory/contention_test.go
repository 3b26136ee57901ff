package directory_test

import (
	"sync"
	"testing"
)

// TestDirectory_TwentyStationsCountingOneNameAllSucceed: twenty writers
// (two stations, ten at once each) counting a failure at one name's slot
// all succeed, and every failure is counted. Each round of their
// compare-and-swap has one winner; without a random wait after a lost
// round the losers read and write again in step, and some run out of
// attempts ("record the try: … assertion control … false"), which a
// person at a station sees as an error instead of "wrong password".
func TestDirectory_TwentyStationsCountingOneNameAllSucceed(t *testing.T) {
	_, s := open(t)
	a, b := openOn(t, s), openOn(t, s)
	const name = "contended@contoso.example"
	const writers = 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := 0; i < writers; i++ {
		d := a
		if i%2 == 1 {
			d = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- d.UpdateTries(name, countTry)
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			t.Log(err)
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d writers failed to count their try", failed, writers)
	}
	if got := triesOf(t, a, name); got.Failures != writers-failed {
		t.Errorf("the slot holds %d failures; want %d", got.Failures, writers-failed)
	}
}
