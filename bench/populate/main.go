// Command populate fills a data directory with N accounts for the
// benchmarks, each with two registered methods (an authenticator app and a
// phone) whose records say they have no keyring secret, so the app can
// start on the directory without a keyring item per method.
//
//	go run ./bench/populate -dir DIR -n 100000
//
// Every account gets the same password hash, made once with
// wizard.HashSecret (password "bench-password-1"). The demo account is
// created too (as the app would on its first start), so that starting the
// app on any populated directory does the same work.
//
// Accounts are first created through the storage API (CreateAccount and
// AddMethod, one transaction each) for a few seconds, which measures what
// the API costs per account. If the API would take longer than -api-budget
// for the rest, the rest is written in batches straight into the bbolt file,
// copying the raw records the API wrote for the first account (so the
// layout is storage's own), and every account is then checked through the
// API. It prints one line of key=value pairs for bench/run.sh.
package main

import (
	"bytes"
	crand "crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// Password is every populated account's password.
const Password = "bench-password-1"

// Name is the i-th account's name.
func Name(i int) string { return fmt.Sprintf("user%06d@contoso.example", i) }

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func main() {
	dir := flag.String("dir", "", "data directory to fill (must not exist yet)")
	n := flag.Int("n", 0, "number of accounts besides the demo account")
	apiProbe := flag.Duration("api-probe", 3*time.Second, "how long to create accounts through the API before deciding")
	apiBudget := flag.Duration("api-budget", 90*time.Second, "use the API for the rest only if it would take at most this long")
	flag.Parse()
	if *dir == "" || *n < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dir, *n, *apiProbe, *apiBudget); err != nil {
		fmt.Fprintln(os.Stderr, "populate:", err)
		os.Exit(1)
	}
}

func run(dir string, n int, apiProbe, apiBudget time.Duration) error {
	if _, err := os.Stat(filepath.Join(dir, storage.DataFileName)); err == nil {
		return fmt.Errorf("%s already holds a data file", dir)
	}
	start := time.Now()
	d, err := storage.OpenLocal(dir, storage.NewMemoryKeyring())
	if err != nil {
		return err
	}
	if _, err := wizard.EnsureDemoAccount(d, t0, crand.Reader); err != nil {
		return err
	}
	hash, err := wizard.HashSecret(Password, crand.Reader)
	if err != nil {
		return err
	}

	// Through the API, for apiProbe (or all of them if that is enough).
	apiStart := time.Now()
	viaAPI := 0
	for viaAPI < n && (viaAPI < 20 || time.Since(apiStart) < apiProbe) {
		if err := addViaAPI(d, viaAPI, hash); err != nil {
			return err
		}
		viaAPI++
	}
	apiTime := time.Since(apiStart)
	perAccount := time.Duration(0)
	if viaAPI > 0 {
		perAccount = apiTime / time.Duration(viaAPI)
	}
	method := "api"
	if rest := time.Duration(n-viaAPI) * perAccount; rest <= apiBudget {
		for ; viaAPI < n; viaAPI++ {
			if err := addViaAPI(d, viaAPI, hash); err != nil {
				return err
			}
		}
	} else {
		method = "api+bbolt-batch"
		if err := addDirect(filepath.Join(dir, storage.DataFileName), viaAPI, n); err != nil {
			return err
		}
	}

	// Check through the API: the count, and a few accounts' methods.
	var accts []info.Account
	err = d.EachAccount("", 0, func(a info.Account) error { accts = append(accts, a); return nil })
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	if len(accts) != n+1 {
		return fmt.Errorf("check: %d accounts, want %d", len(accts), n+1)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if i < 0 || i >= n {
			continue
		}
		a, err := d.Account(Name(i))
		if err != nil || a.PasswordHash != hash {
			return fmt.Errorf("check %s: %v (hash matches: %v)", Name(i), err, a.PasswordHash == hash)
		}
		ms, err := d.Methods(Name(i))
		if err != nil || len(ms) != 2 || ms[0].Kind != info.KindAuthenticatorApp || ms[1].Kind != info.KindPhone || ms[0].HasSecret {
			return fmt.Errorf("check %s methods: %v %+v", Name(i), err, ms)
		}
	}
	if err := d.Close(); err != nil {
		return err
	}
	fi, err := os.Stat(filepath.Join(dir, storage.DataFileName))
	if err != nil {
		return err
	}
	fmt.Printf("accounts=%d method=%s api_accounts=%d api_ms_per_account=%.3f api_estimate_s=%.1f total_s=%.1f file_bytes=%d\n",
		n, method, min(viaAPI, n), float64(perAccount.Microseconds())/1000,
		(time.Duration(n) * perAccount).Seconds(), time.Since(start).Seconds(), fi.Size())
	return nil
}

// methods are the two methods every account has.
func methods() []info.Method {
	return []info.Method{
		{ID: "a0", Kind: info.KindAuthenticatorApp, Label: "Authenticator app", Created: t0,
			LastStep: 59055000},
		{ID: "p0", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0.Add(time.Minute),
			Phone: "+15555551234"},
	}
}

func addViaAPI(d info.Store, i int, hash string) error {
	if err := d.CreateAccount(info.Account{Name: Name(i), PasswordHash: hash, Created: t0}); err != nil {
		return err
	}
	for _, m := range methods() {
		if err := d.AddMethod(Name(i), m, nil); err != nil {
			return err
		}
	}
	return nil
}

// The bbolt layout, as storage keeps it: top-level buckets "accounts"
// (lower-cased name -> JSON record) and "methods" (one bucket per account
// key: method id -> JSON record). Only the account's name differs between
// accounts, so the records the API wrote for account 0 are copied.
var (
	bucketAccounts = []byte("accounts")
	bucketMethods  = []byte("methods")
)

func key(name string) []byte { return []byte(strings.ToLower(name)) }

// quoted is the i-th account's name as a JSON string.
func quoted(i int) []byte { b, _ := json.Marshal(Name(i)); return b }

func addDirect(path string, from, n int) error {
	if from == 0 {
		return errors.New("the direct path copies account 0's records: create it through the API first")
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	var acct []byte
	type rec struct{ k, v []byte }
	var ms []rec
	err = db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketAccounts).Get(key(Name(0)))
		if raw == nil {
			return errors.New("account 0 not found in the accounts bucket: the storage layout changed, update bench/populate")
		}
		acct = bytes.Clone(raw)
		if bytes.Count(acct, quoted(0)) != 1 {
			return fmt.Errorf("account 0's record does not hold its name %s once: the storage layout changed, update bench/populate", quoted(0))
		}
		b := tx.Bucket(bucketMethods).Bucket(key(Name(0)))
		if b == nil {
			return errors.New("account 0 has no methods bucket: the storage layout changed, update bench/populate")
		}
		return b.ForEach(func(k, v []byte) error {
			ms = append(ms, rec{bytes.Clone(k), bytes.Clone(v)})
			return nil
		})
	})
	if err != nil {
		return err
	}
	if len(ms) != 2 {
		return fmt.Errorf("account 0 has %d method records, want 2", len(ms))
	}
	const batch = 10000
	for lo := from; lo < n; lo += batch {
		hi := min(lo+batch, n)
		err := db.Update(func(tx *bolt.Tx) error {
			accounts, methodsB := tx.Bucket(bucketAccounts), tx.Bucket(bucketMethods)
			for i := lo; i < hi; i++ {
				name := Name(i)
				// Names have the same length, so only the name changes.
				v := bytes.Replace(acct, quoted(0), quoted(i), 1)
				k := key(name)
				if err := accounts.Put(k, v); err != nil {
					return err
				}
				b, err := methodsB.CreateBucket(k)
				if err != nil {
					return err
				}
				for _, m := range ms {
					if err := b.Put(m.k, m.v); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
