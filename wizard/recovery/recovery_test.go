package recovery_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// stopAt is a store whose writes stop at the nth (from 0): the process
// dies there (crash: a panic no one in the store recovers) or the write
// fails (fail).
type stopAt struct {
	info.Store
	n     int
	crash bool
}

var errDisk = errors.New("disk full")

type died struct{}

func (s *stopAt) write() error {
	if s.n > 0 {
		s.n--
		return nil
	}
	if s.crash {
		panic(died{}) // kill -9, a power cut
	}
	return errDisk
}

func (s *stopAt) AddMethod(account string, m info.Method, secret []byte) error {
	if err := s.write(); err != nil {
		return err
	}
	return s.Store.AddMethod(account, m, secret)
}

func (s *stopAt) UpdateMethod(account, id string, change func(*info.Method) error) error {
	if err := s.write(); err != nil {
		return err
	}
	return s.Store.UpdateMethod(account, id, change)
}

func (s *stopAt) RemoveMethod(account, id string) error {
	if err := s.write(); err != nil {
		return err
	}
	return s.Store.RemoveMethod(account, id)
}

func (s *stopAt) RemoveAllMethods(account string) (int, error) {
	if err := s.write(); err != nil {
		return 0, err
	}
	return s.Store.RemoveAllMethods(account)
}

func (s *stopAt) ReplaceMethods(account string, kind info.Kind, ms []info.Method) error {
	if err := s.write(); err != nil {
		return err
	}
	return s.Store.ReplaceMethods(account, kind, ms)
}

// withOldSet is a store with alice and a set of codes she was shown
// (their hashes don't matter here), and the set's ids.
func withOldSet(t *testing.T) (*memory.Store, []string) {
	t.Helper()
	dir := memory.New()
	if err := dir.CreateAccount(info.Account{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range recovery.Count {
		id := fmt.Sprintf("old%02d", i)
		if err := dir.AddMethod("alice", info.Method{ID: id, Kind: info.KindRecoveryCodes, Label: recovery.Label, Created: t0, Hash: "x"}, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return dir, ids
}

// codeIDs are the ids of alice's recovery codes, sorted.
func codeIDs(t *testing.T, dir info.Store) []string {
	t.Helper()
	ms, err := dir.Methods("alice")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range recovery.Codes(ms) {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

// A crash or a failed write while a new set is saved leaves the old set
// or the whole new one: never a part of a set (a part of a new one nobody
// was shown would count as registered recovery codes).
func TestRegenerate_StoppedMidwayLeavesTheOldSetOrTheNew(t *testing.T) {
	// Write 0: the first; 1: after the first; 12: well into the writes
	// one code at a time would take (10 removals, then 10 adds: 2 codes
	// of a new set). Each case hashes a set (a second, ten under -race),
	// so only these.
	for _, c := range []struct {
		crash bool
		n     int
	}{{true, 1}, {true, 12}, {false, 0}} {
		crash, n := c.crash, c.n
		t.Run(fmt.Sprintf("crash=%v/write %d", crash, n), func(t *testing.T) {
			dir, old := withOldSet(t)
			var codes []string
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						if _, ok := r.(died); !ok {
							panic(r)
						}
						err = errors.New("died")
					}
				}()
				codes, err = recovery.Regenerate(&stopAt{Store: dir, n: n, crash: crash}, "alice", t0, testkit.Seeded(int64(n)))
			}()
			got := codeIDs(t, dir)
			switch {
			case slices.Equal(got, old):
				if err == nil {
					t.Errorf("Regenerate returned %d codes, but the old set is still the one stored", len(codes))
				}
			case len(got) == recovery.Count && !slices.ContainsFunc(got, func(id string) bool { return slices.Contains(old, id) }):
				if err != nil && !crash {
					t.Errorf("Regenerate failed (%v), but a new set nobody was shown is stored", err)
				}
			default:
				t.Errorf("stopped at write %d (%v), alice has %d recovery codes %v: neither the old set nor a whole new one", n, err, len(got), got)
			}
		})
	}
}

// barrier holds the first write of each of two regenerations until both
// have got there: both read the account before either writes.
type barrier struct {
	info.Store
	wg   *sync.WaitGroup
	once sync.Once
}

func (b *barrier) wait() {
	b.once.Do(func() {
		b.wg.Done()
		b.wg.Wait()
	})
}

func (b *barrier) AddMethod(account string, m info.Method, secret []byte) error {
	b.wait()
	return b.Store.AddMethod(account, m, secret)
}

func (b *barrier) RemoveMethod(account, id string) error {
	b.wait()
	return b.Store.RemoveMethod(account, id)
}

func (b *barrier) ReplaceMethods(account string, kind info.Kind, ms []info.Method) error {
	b.wait()
	return b.Store.ReplaceMethods(account, kind, ms)
}

// Two stations making a new set for one person at once leave one set,
// not both.
func TestRegenerate_AtOnceLeavesOneSet(t *testing.T) {
	dir, _ := withOldSet(t)
	var wg, done sync.WaitGroup
	wg.Add(2)
	errs := make([]error, 2)
	for i := range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			_, errs[i] = recovery.Regenerate(&barrier{Store: dir, wg: &wg}, "alice", t0, testkit.Seeded(int64(100+i)))
		}()
	}
	done.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := codeIDs(t, dir); len(got) != recovery.Count {
		t.Errorf("after two regenerations at once alice has %d recovery codes, want one set of %d", len(got), recovery.Count)
	}
}
