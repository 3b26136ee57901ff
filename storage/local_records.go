package storage

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// accountRecord is an Account as stored in the accounts bucket. The JSON
// names are the file format; do not rename them.
type accountRecord struct {
	Name         string    `json:"name"`
	PasswordHash string    `json:"password_hash,omitempty"`
	Created      time.Time `json:"created"`
	countsRecord
	Helpdesk    bool      `json:"helpdesk,omitempty"`
	Default     string    `json:"default_method,omitempty"`
	Snoozes     int       `json:"snoozes,omitempty"`
	FirstSnooze time.Time `json:"first_snooze,omitzero"`
}

// countsRecord is info.Counts as stored: in an account's record (its
// fields among the account's, as JSON flattens an embedded struct) and,
// on its own, in a try slot of a name that names no account
// (encodeTries). The JSON names are the file format; do not rename them.
type countsRecord struct {
	Failures    int       `json:"failures,omitempty"`
	LastFailure time.Time `json:"last_failure,omitzero"`
	// The second factor's and app passwords' own failure counts
	// (info.Counts.SecondFactorTries, AppPasswordTries).
	SecondFactorFailures    int       `json:"second_factor_failures,omitempty"`
	LastSecondFactorFailure time.Time `json:"last_second_factor_failure,omitzero"`
	AppPasswordFailures     int       `json:"app_password_failures,omitempty"`
	LastAppPasswordFailure  time.Time `json:"last_app_password_failure,omitzero"`
}

func newCountsRecord(c info.Counts) countsRecord {
	return countsRecord{
		Failures:                c.Failures,
		LastFailure:             c.LastFailure,
		SecondFactorFailures:    c.SecondFactorTries.Failures,
		LastSecondFactorFailure: c.SecondFactorTries.LastFailure,
		AppPasswordFailures:     c.AppPasswordTries.Failures,
		LastAppPasswordFailure:  c.AppPasswordTries.LastFailure,
	}
}

func (r countsRecord) counts() info.Counts {
	return info.Counts{
		Failures:          r.Failures,
		LastFailure:       r.LastFailure,
		SecondFactorTries: info.Tries{Failures: r.SecondFactorFailures, LastFailure: r.LastSecondFactorFailure},
		AppPasswordTries:  info.Tries{Failures: r.AppPasswordFailures, LastFailure: r.LastAppPasswordFailure},
	}
}

func newAccountRecord(a info.Account) accountRecord {
	return accountRecord{
		Name:         a.Name,
		PasswordHash: a.PasswordHash,
		Created:      a.Created,
		countsRecord: newCountsRecord(a.Counts),
		Helpdesk:     a.Helpdesk,
		Default:      a.DefaultMethod,
		Snoozes:      a.Snoozes,
		FirstSnooze:  a.FirstSnooze,
	}
}

func (r accountRecord) account() info.Account {
	return info.Account{
		Name:          r.Name,
		PasswordHash:  r.PasswordHash,
		Created:       r.Created,
		Counts:        r.countsRecord.counts(),
		Helpdesk:      r.Helpdesk,
		DefaultMethod: r.Default,
		Snoozes:       r.Snoozes,
		FirstSnooze:   r.FirstSnooze,
	}
}

// methodRecord is a Method as stored in an account's methods bucket.
// Removing marks a method whose removal has started: it is hidden and a
// journal intent says how to finish.
type methodRecord struct {
	ID        string            `json:"id"`
	Kind      info.Kind         `json:"kind"`
	Label     string            `json:"label,omitempty"`
	Created   time.Time         `json:"created"`
	HasSecret bool              `json:"has_secret,omitempty"`
	Attrs     map[string]string `json:"attrs,omitempty"`
	Removing  bool              `json:"removing,omitempty"`
}

func newMethodRecord(m info.Method) methodRecord {
	return methodRecord{
		ID:        m.ID,
		Kind:      m.Kind,
		Label:     m.Label,
		Created:   m.Created,
		HasSecret: m.HasSecret,
		Attrs:     methodAttrs(m),
	}
}

// The attrs map is the file format of the per-kind fields; do not rename
// its keys.
const (
	attrLastStep = "last_step"
	attrPhone    = "e164"
	attrChannel  = "channel"
	attrHash     = "hash"
	attrLookup   = "lookup"
	// A security key's public credential: base64 (standard, padded) for
	// the bytes, decimal for the counter.
	attrCredentialID = "credential_id"
	attrPublicKey    = "public_key"
	attrAAGUID       = "aaguid"
	attrSignCount    = "sign_count"
	// An email method's address, and security questions as a JSON array
	// of info.Question (question id or text, and the answer's hash).
	attrEmail     = "email"
	attrQuestions = "questions"
)

// methodAttrs is m's per-kind fields as stored.
func methodAttrs(m info.Method) map[string]string {
	a := map[string]string{}
	if m.LastStep != 0 {
		a[attrLastStep] = strconv.FormatInt(m.LastStep, 10)
	}
	for k, v := range map[string]string{attrPhone: m.Phone, attrChannel: m.Channel, attrHash: m.Hash, attrLookup: m.Lookup, attrEmail: m.Email} {
		if v != "" {
			a[k] = v
		}
	}
	for k, v := range map[string][]byte{attrCredentialID: m.CredentialID, attrPublicKey: m.PublicKey, attrAAGUID: m.AAGUID} {
		if len(v) > 0 {
			a[k] = base64.StdEncoding.EncodeToString(v)
		}
	}
	if m.SignCount != 0 {
		a[attrSignCount] = strconv.FormatUint(uint64(m.SignCount), 10)
	}
	if len(m.Questions) > 0 {
		// Marshalling a slice of plain string fields cannot fail.
		b, _ := json.Marshal(m.Questions)
		a[attrQuestions] = string(b)
	}
	if len(a) == 0 {
		return nil
	}
	return a
}

func (r methodRecord) method() (info.Method, error) {
	var step int64
	if v := r.Attrs[attrLastStep]; v != "" {
		var err error
		if step, err = strconv.ParseInt(v, 10, 64); err != nil {
			return info.Method{}, fmt.Errorf("method %q has a bad %s %q: %w", r.ID, attrLastStep, v, err)
		}
	}
	m := info.Method{
		ID:        r.ID,
		Kind:      r.Kind,
		Label:     r.Label,
		Created:   r.Created,
		HasSecret: r.HasSecret,
		LastStep:  step,
		Phone:     r.Attrs[attrPhone],
		Channel:   r.Attrs[attrChannel],
		Hash:      r.Attrs[attrHash],
		Lookup:    r.Attrs[attrLookup],
		Email:     r.Attrs[attrEmail],
	}
	if v := r.Attrs[attrQuestions]; v != "" {
		if err := json.Unmarshal([]byte(v), &m.Questions); err != nil {
			return info.Method{}, fmt.Errorf("method %q has bad %s: %w", r.ID, attrQuestions, err)
		}
	}
	for k, dst := range map[string]*[]byte{attrCredentialID: &m.CredentialID, attrPublicKey: &m.PublicKey, attrAAGUID: &m.AAGUID} {
		if v := r.Attrs[k]; v != "" {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return info.Method{}, fmt.Errorf("method %q has a bad %s: %w", r.ID, k, err)
			}
			*dst = b
		}
	}
	if v := r.Attrs[attrSignCount]; v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return info.Method{}, fmt.Errorf("method %q has a bad %s %q: %w", r.ID, attrSignCount, v, err)
		}
		m.SignCount = uint32(n)
	}
	return m, nil
}

// getJSON decodes the value under key into v; it reports false if there
// is none.
func getJSON(b *bolt.Bucket, key string, v any) (bool, error) {
	data := b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode record %q: %w", key, err)
	}
	return true, nil
}

// putJSON stores v encoded as JSON under key.
func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode record %q: %w", key, err)
	}
	return b.Put([]byte(key), data)
}

// accountMethods returns the methods bucket of the account with key, or
// an error matching ErrNoAccount.
func accountMethods(tx *bolt.Tx, key, name string) (*bolt.Bucket, error) {
	if tx.Bucket(bucketAccounts).Get([]byte(key)) == nil {
		return nil, info.ErrNoAccount
	}
	b := tx.Bucket(bucketMethods).Bucket([]byte(key))
	if b == nil {
		return nil, fmt.Errorf("account %q has no methods bucket; the data file is damaged", name)
	}
	return b, nil
}

// liveMethod reads a method record that exists and is not being removed,
// or returns an error matching ErrNoMethod.
func liveMethod(b *bolt.Bucket, id string) (methodRecord, error) {
	var rec methodRecord
	ok, err := getJSON(b, id, &rec)
	if err != nil {
		return rec, err
	}
	if !ok || rec.Removing {
		return rec, fmt.Errorf("method %q: %w", id, info.ErrNoMethod)
	}
	return rec, nil
}
