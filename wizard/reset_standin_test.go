package wizard_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// slowGateway is a Sender whose sends take took by the rig's clock.
type slowGateway struct {
	c     *testkit.Clock
	took  time.Duration
	inner wizard.Sender
}

func (g *slowGateway) Send(ctx context.Context, m method.Message) error {
	g.c.Add(g.took)
	return g.inner.Send(ctx, m)
}

// A check of a code typed before the page's send ends waits for the send;
// a stand-in's send (a name with no phone, or no such name) takes as long
// as the last real send of its kind, so that the wait doesn't tell which
// names have a phone (review: the stand-in's check answered at once).
func TestReset_StandInSendTakesAsLongAsARealOne(t *testing.T) {
	g := &slowGateway{took: 3 * time.Second}
	r, _ := gatedReset(t, g)
	g.c, g.inner = r.c, r.phone
	var mu sync.Mutex
	var slept []time.Duration
	wizard.SetStandInSleep(r.flow, func(d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
	})
	for _, name := range []string{alice, mallory, bob} {
		nextReset(t, r, name)
		if _, err := r.flow.StartProof(r.option(info.KindPhone)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wizard.WaitForSends(r.flow)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(slept) != 2 || slept[0] != 3*time.Second || slept[1] != 3*time.Second {
		t.Errorf("the stand-ins' sends waited %v, want 3s each (alice's real send took 3s)", slept)
	}
}
