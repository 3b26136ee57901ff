package words

import (
	"errors"
	"fmt"
	"testing"
)

func TestOf(t *testing.T) {
	general := errors.New("delivery failed")
	sentinel := Like(general, "we couldn't send the code: try again", "We couldn't send the code. Try again.")
	chain := fmt.Errorf("send: provider: %w", sentinel)
	if got, ok := Of(chain); !ok || got != "We couldn't send the code. Try again." {
		t.Errorf("Of(chain) = %q, %v", got, ok)
	}
	if chain.Error() != "send: provider: we couldn't send the code: try again" {
		t.Errorf("the chain for logs: %q", chain)
	}
	if !errors.Is(chain, sentinel) || !errors.Is(chain, general) {
		t.Error("the chain does not match its sentinel and what it is like")
	}
	if got, ok := Of(fmt.Errorf("read: %w", general)); ok || got != "" {
		t.Errorf("words from an error without any: %q", got)
	}
	if _, ok := Of(nil); ok {
		t.Error("words for nil")
	}
	// The first worded error in the chain speaks.
	outer := Like(New("inner", "Inner."), "outer", "Outer.")
	if got, _ := Of(fmt.Errorf("x: %w", outer)); got != "Outer." {
		t.Errorf("Of = %q, want the outer words", got)
	}
}
