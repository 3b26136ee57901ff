package authapp

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// TestNewSetup_DefaultRandomnessIsUnpredictable: without ctx.Rand, the
// pending key comes from crypto/rand, so two setups never make the same
// key (a constant seed would).
func TestNewSetup_DefaultRandomnessIsUnpredictable(t *testing.T) {
	keys := make([][]byte, 2)
	for i := range keys {
		ws, err := NewSetup(method.Context{Account: testAccount, Dir: newFakeDir(t), Now: newClock(t0).Now})
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = append([]byte(nil), ws.(*Setup).secret...)
	}
	if len(keys[0]) != 20 || bytes.Equal(keys[0], keys[1]) {
		t.Errorf("two setups made the keys %x and %x: want 20 unpredictable bytes each", keys[0], keys[1])
	}
}

// handingDir is a test store whose Secret hands out slices it remembers, so
// that a test can see whether the caller zeroed them.
type handingDir struct {
	*testkit.Store
	mu     sync.Mutex
	handed [][]byte
}

func (d *handingDir) Secret(account, id string) ([]byte, error) {
	s, err := d.Store.Secret(account, id)
	if err == nil {
		d.mu.Lock()
		d.handed = append(d.handed, s)
		d.mu.Unlock()
	}
	return s, err
}

// TestCheckCode_ZeroesEveryKeyItRead: whether the code is right, wrong or
// replayed, every key CheckCode read from the store is zeroed before it
// returns.
func TestCheckCode_ZeroesEveryKeyItRead(t *testing.T) {
	k1 := []byte("12345678901234567890")
	k2 := []byte("abcdefghijabcdefghij")
	for _, tc := range []struct {
		name string
		code string
		want error
	}{
		{"right code of the second app", Code(k2, t0), nil},
		{"wrong code", "000000", ErrWrongCode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &handingDir{Store: newFakeDir(t)}
			addApp(t, d, testAccount, "a1", "Phone", append([]byte(nil), k1...))
			addApp(t, d, testAccount, "a2", "Tablet", append([]byte(nil), k2...))
			if tc.code == "000000" && (Code(k1, t0) == tc.code || Code(k2, t0) == tc.code) {
				t.Skip("the wrong code is right by chance")
			}
			err := CheckCode(d, testAccount, tc.code, t0)
			if !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
				t.Fatalf("CheckCode: %v, want %v", err, tc.want)
			}
			if len(d.handed) == 0 {
				t.Fatal("CheckCode read no key")
			}
			for i, k := range d.handed {
				if !bytes.Equal(k, make([]byte, len(k))) {
					t.Errorf("key %d read by CheckCode was not zeroed: %x", i, k)
				}
			}
		})
	}
}
