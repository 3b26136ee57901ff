// Command populate fills a local data directory for make bench: n accounts
// (each with an authenticator app and a phone, whose records say they have
// no keyring secret, and one shared password hash) and an audit log of
// -audit entries spread over them in turn, the demo account too.
//
//	go run ./bench/populate -dir DIR -n 100000 -audit 1000000
//
// The first account and audit entry are written through the storage API;
// the rest copy their raw records in batches straight into the bbolt file
// (only the account name and the time differ), as writing a million
// entries one fsynced transaction at a time would take hours. Then the
// store is opened again, which builds the audit indexes, the result is
// checked through the API, and one line is printed:
// accounts=N audit=M seconds=S file_mb=F since_last10=T, where T is the
// time of the tenth entry from the end (for audit list --since).
package main

import (
	"bytes"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Password is every populated account's password.
const Password = "bench-password-1"

// Name is the i-th account's name.
func Name(i int) string { return fmt.Sprintf("user%06d@contoso.example", i) }

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func main() {
	dir := flag.String("dir", "", "data directory to fill (must not hold a data file yet)")
	n := flag.Int("n", 1, "number of accounts besides the demo account (at least 1)")
	audit := flag.Int("audit", 0, "number of audit entries")
	flag.Parse()
	if *dir == "" || *n < 1 || *audit < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dir, *n, *audit); err != nil {
		fmt.Fprintln(os.Stderr, "populate:", err)
		os.Exit(1)
	}
}

func run(dir string, n, audit int) error {
	path := filepath.Join(dir, storage.DataFileName)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	start := time.Now()
	d, err := storage.OpenLocal(dir, storage.NewMemoryKeyring())
	if err != nil {
		return err
	}
	if _, err := wizard.EnsureDemoAccount(d, t0, crand.Reader); err != nil {
		return err
	}
	hash, err := secret.Hash(Password, crand.Reader)
	if err != nil {
		return err
	}
	if err := d.CreateAccount(info.Account{Name: Name(0), PasswordHash: hash, Created: t0}); err != nil {
		return err
	}
	for _, m := range []info.Method{
		{ID: "a0", Kind: info.KindAuthenticatorApp, Label: "Authenticator app", Created: t0, LastStep: 59055000},
		{ID: "p0", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0.Add(time.Minute), Phone: "+15555551234"},
	} {
		if err := d.AddMethod(Name(0), m, nil); err != nil {
			return err
		}
	}
	if audit > 0 {
		if err := d.AppendAudit(info.AuditEntry{Time: t0, Actor: "operator@contoso.example", Account: Name(0), Action: "tap-issued", Station: "bench", Detail: "lifetime 1h"}); err != nil {
			return err
		}
	}
	if err := copyRecords(path, n, audit); err != nil {
		return err
	}
	// Opening the store again builds the audit indexes the copies lack,
	// once, here rather than in the first timed command.
	if d, err = storage.OpenLocal(dir, storage.NewMemoryKeyring()); err != nil {
		return err
	}
	if err := check(d, n, audit, hash); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Printf("accounts=%d audit=%d seconds=%.1f file_mb=%.1f since_last10=%s\n", n, audit, time.Since(start).Seconds(), float64(fi.Size())/1e6,
		entryTime(max(audit-10, 0)).Format(time.RFC3339))
	return nil
}

// entryTime is the time of the i-th audit entry (from 0): a second apart.
func entryTime(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }

// The bbolt layout, as storage keeps it: "accounts" (lower-cased name →
// JSON record), "methods" (a bucket per account: id → JSON record) and
// "audit" (big-endian sequence number → JSON record).
var (
	bucketAccounts = []byte("accounts")
	bucketMethods  = []byte("methods")
	bucketAudit    = []byte("audit")
)

// key is an account's bucket key, as storage keys it (info.AccountKey).
func key(name string) []byte { return []byte(info.AccountKey(name)) }

// quoted is v as a JSON string.
func quoted(v any) []byte { b, _ := json.Marshal(v); return b }

// replaceOnce replaces old with new in rec, which must hold old once.
func replaceOnce(rec, old, new []byte) ([]byte, error) {
	if bytes.Count(rec, old) != 1 {
		return nil, fmt.Errorf("record %s does not hold %s once: the storage layout changed, update bench/populate", rec, old)
	}
	return bytes.Replace(rec, old, new, 1), nil
}

// copyRecords copies account 0 (and its methods) to accounts 1..n-1 and
// audit entry 1 to entries 2..audit, 10,000 to a transaction.
func copyRecords(path string, n, audit int) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second, NoSync: true})
	if err != nil {
		return err
	}
	defer db.Close()
	var acct, entry []byte
	methods := map[string][]byte{}
	err = db.View(func(tx *bolt.Tx) error {
		acct = bytes.Clone(tx.Bucket(bucketAccounts).Get(key(Name(0))))
		if b := tx.Bucket(bucketMethods).Bucket(key(Name(0))); b != nil {
			b.ForEach(func(k, v []byte) error { methods[string(k)] = bytes.Clone(v); return nil })
		}
		if b := tx.Bucket(bucketAudit); b != nil {
			entry = bytes.Clone(b.Get(binary.BigEndian.AppendUint64(nil, 1)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if acct == nil || len(methods) != 2 || (audit > 0 && entry == nil) {
		return errors.New("account 0, its two methods or audit entry 1 not found where expected: the storage layout changed, update bench/populate")
	}
	const batch = 10000
	for lo := 1; lo < max(n, audit); lo += batch {
		err := db.Update(func(tx *bolt.Tx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				v, err := replaceOnce(acct, quoted(Name(0)), quoted(Name(i)))
				if err != nil {
					return err
				}
				if err := tx.Bucket(bucketAccounts).Put(key(Name(i)), v); err != nil {
					return err
				}
				mb, err := tx.Bucket(bucketMethods).CreateBucket(key(Name(i)))
				if err != nil {
					return err
				}
				for k, v := range methods {
					if err := mb.Put([]byte(k), v); err != nil {
						return err
					}
				}
			}
			if audit == 0 {
				return nil
			}
			ab := tx.Bucket(bucketAudit)
			for i := lo; i < min(lo+batch, audit); i++ {
				v, err := replaceOnce(entry, quoted(Name(0)), quoted(Name(i%n)))
				if err == nil {
					v, err = replaceOnce(v, quoted(t0), quoted(entryTime(i)))
				}
				if err != nil {
					return err
				}
				if err := ab.Put(binary.BigEndian.AppendUint64(nil, uint64(i+1)), v); err != nil {
					return err
				}
			}
			return ab.SetSequence(uint64(min(lo+batch, audit)))
		})
		if err != nil {
			return err
		}
	}
	// The copies are not in the audit indexes: drop them, and the store
	// builds them again from the log when it next opens (in check).
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{[]byte("audit-by-account"), []byte("audit-by-time")} {
			if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Delete([]byte("audit-indexed"))
	})
	if err != nil {
		return err
	}
	return db.Sync()
}

// check reads the result back through the API.
func check(d info.Store, n, audit int, hash string) error {
	count := 0
	if err := d.EachAccount("", 0, func(info.Account) error { count++; return nil }); err != nil {
		return err
	}
	if count != n+1 {
		return fmt.Errorf("%d accounts, want %d", count, n+1)
	}
	last := Name(n - 1)
	if a, err := d.Account(last); err != nil || a.PasswordHash != hash {
		return fmt.Errorf("account %s: %v (hash matches: %v)", last, err, a.PasswordHash == hash)
	}
	if ms, err := d.Methods(last); err != nil || len(ms) != 2 || ms[0].HasSecret {
		return fmt.Errorf("methods of %s: %v %+v", last, err, ms)
	}
	if audit == 0 {
		return nil
	}
	got := 0
	err := d.EachAudit(Name(n/2), time.Time{}, func(info.AuditEntry) error { got++; return nil })
	if want := audit / n; err != nil || got < want {
		return fmt.Errorf("audit of %s: %v (%d entries, want at least %d)", Name(n/2), err, got, want)
	}
	return nil
}
