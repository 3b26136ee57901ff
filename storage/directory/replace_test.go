package directory_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

type crashed struct{}

// A station that dies at any point of ReplaceMethods leaves the person
// with the old set or the whole new one, whether the old set was saved
// one code at a time (before ReplaceMethods) or by ReplaceMethods, and
// the next replacement works.
func TestDirectory_ReplaceMethodsCrash(t *testing.T) {
	d, s := open(t)
	codes := func(prefix string) []info.Method {
		var ms []info.Method
		for i := range 10 {
			ms = append(ms, info.Method{ID: fmt.Sprintf("%s%d", prefix, i), Kind: info.KindRecoveryCodes, Label: "Recovery code", Created: time.Now(), Hash: "h"})
		}
		return ms
	}
	ids := func(account string) string {
		t.Helper()
		ms, err := d.Methods(account)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	idsOf := func(ms []info.Method) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	// The steps: 0-9 each add a new code, 10 switches to the new set,
	// 11 on each delete an old code. Each run takes some 40 requests, so
	// only the first and last add, the switch and the first delete.
	for _, legacy := range []bool{true, false} {
		for _, k := range []int{0, 9, 10, 11} {
			account := fmt.Sprintf("p%v%d", legacy, k)
			s.AddPerson(account, "correct horse 1", false)
			old := codes("o")
			if legacy {
				for _, m := range old {
					if err := d.AddMethod(account, m, nil); err != nil {
						t.Fatal(err)
					}
				}
			} else if err := d.ReplaceMethods(account, info.KindRecoveryCodes, old); err != nil {
				t.Fatal(err)
			}
			calls, step := 0, ""
			restore := directory.SetReplaceCrash(func(at string) {
				if calls == k {
					step = at
					panic(crashed{})
				}
				calls++
			})
			func() {
				defer func() {
					if r := recover(); r != nil && r != (crashed{}) {
						panic(r)
					}
				}()
				if err := d.ReplaceMethods(account, info.KindRecoveryCodes, codes("n")); err != nil {
					t.Errorf("ReplaceMethods: %v", err)
				}
			}()
			restore()
			got := ids(account)
			if got != idsOf(old) && got != idsOf(codes("n")) {
				t.Errorf("legacy %v: a crash at step %d (%s) left %s: neither the old set nor the new", legacy, k, step, got)
			}
			if err := d.ReplaceMethods(account, info.KindRecoveryCodes, codes("x")); err != nil {
				t.Fatalf("ReplaceMethods after the crash: %v", err)
			}
			if got := ids(account); got != idsOf(codes("x")) {
				t.Errorf("legacy %v: after a crash at step %d (%s) and a new replacement: %s", legacy, k, step, got)
			}
			if want := map[int]string{0: "member", 9: "member", 10: "switched", 11: "old"}[k]; step != want {
				t.Errorf("step %d is %q, want %q", k, step, want)
			}
		}
	}
}
