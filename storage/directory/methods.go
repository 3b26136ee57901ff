package directory

import (
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// methodAttrs are what a method is read from (never oathSecret: Secret
// reads that alone, when it is needed).
var methodAttrs = []string{"objectClass", "siMethodId", "siKind", "siLabel", "siCreated", "siPhone", "siChannel", "siHash", "oathTOTPLastTimeStep",
	"siCredentialId", "siPublicKey", "siAAGUID", "siSignCount", "siEmail", "siQuestions", "siLookup", "description",
	"modifyTimestamp"} // when a token was marked (finishRemovals, undoRegistrations)

// methodDN is the DN of a person's method entry.
func methodDN(personDN, id string) string {
	return "siMethodId=" + ldap.EscapeDN(id) + "," + personDN
}

// checkID refuses ids that could not be one RDN value the app wrote.
func checkID(id string) error {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, ",+=\"\\<>;#/ \x00") {
		return fmt.Errorf("method id %q is not valid", id)
	}
	return nil
}

// isToken reports whether an entry is an authenticator app's token.
func isToken(e *ldap.Entry) bool {
	for _, oc := range e.GetAttributeValues("objectClass") {
		if strings.EqualFold(oc, "oathTOTPToken") {
			return true
		}
	}
	return false
}

// methodOf makes an info.Method of a method entry.
func methodOf(e *ldap.Entry) info.Method {
	m := info.Method{
		ID:        e.GetAttributeValue("siMethodId"),
		Kind:      info.Kind(e.GetAttributeValue("siKind")),
		Label:     e.GetAttributeValue("siLabel"),
		Created:   parseGeneralized(e.GetAttributeValue("siCreated")),
		HasSecret: isToken(e),
		Phone:     e.GetAttributeValue("siPhone"),
		Channel:   e.GetAttributeValue("siChannel"),
		Hash:      e.GetAttributeValue("siHash"),
		Lookup:    e.GetAttributeValue("siLookup"),
		Email:     e.GetAttributeValue("siEmail"),
		Questions: parseQuestions(e.GetAttributeValue("siQuestions")),
	}
	if v := e.GetAttributeValue("oathTOTPLastTimeStep"); v != "" {
		m.LastStep, _ = strconv.ParseInt(v, 10, 64)
	}
	// A security key (siSecurityKey): public credential data only.
	m.CredentialID = e.GetRawAttributeValue("siCredentialId")
	m.PublicKey = e.GetRawAttributeValue("siPublicKey")
	m.AAGUID = parseUUID(e.GetAttributeValue("siAAGUID"))
	if v := e.GetAttributeValue("siSignCount"); v != "" {
		n, _ := strconv.ParseUint(v, 10, 32)
		m.SignCount = uint32(n)
	}
	if len(m.CredentialID) == 0 {
		m.CredentialID = nil
	}
	if len(m.PublicKey) == 0 {
		m.PublicKey = nil
	}
	return m
}

// uuidString is 16 bytes in the UUID syntax's string form (RFC 4122);
// "" for anything else.
func uuidString(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// parseUUID reads uuidString's form back; nil if it is not one.
func parseUUID(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		return nil
	}
	return b
}

// questionsString is security questions as siQuestions holds them: a JSON
// array of info.Question; "" for none.
func questionsString(qs []info.Question) string {
	if len(qs) == 0 {
		return ""
	}
	// Marshalling a slice of plain string fields cannot fail.
	b, _ := json.Marshal(qs)
	return string(b)
}

// parseQuestions reads questionsString's form back; nil for none. A value
// that isn't one reads as no questions, which prove nothing.
func parseQuestions(s string) []info.Question {
	var qs []info.Question
	if s == "" || json.Unmarshal([]byte(s), &qs) != nil || len(qs) == 0 {
		return nil
	}
	return qs
}

func countString(n uint32) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(n), 10)
}

// methodEntries reads a person's method entries.
func (d *Directory) methodEntries(personDN string) ([]*ldap.Entry, error) {
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(personDN, ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=siMethod)", methodAttrs, nil))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read methods: %w", err)
	}
	return res.Entries, nil
}

// personWithMethodsFilter matches a person's entry and their methods.
const personWithMethodsFilter = "(|(objectClass=inetOrgPerson)(objectClass=siMethod))"

// personWithMethods reads the person a name names and their method
// entries. When the name's DN is known from an earlier lookup (the wizard
// lists the methods right after registering one, which found the person)
// that is one search of the person's subtree instead of a search for the
// person and another for their methods; a DN that no longer holds a
// person is forgotten and the person found again.
func (d *Directory) personWithMethods(account string) (*ldap.Entry, []*ldap.Entry, error) {
	d.dnMu.Lock()
	dn, ok := d.dns[info.AccountKey(account)]
	d.dnMu.Unlock()
	if ok {
		person, methods, err := d.readPerson(dn)
		if err != nil {
			return nil, nil, err
		}
		if person != nil {
			return person, methods, nil
		}
		d.forget(dn)
	}
	person, err := d.find(account)
	if err != nil {
		return nil, nil, err
	}
	es, err := d.methodEntries(person.DN)
	if err != nil {
		return nil, nil, err
	}
	return person, es, nil
}

// Methods lists a person's registered methods, oldest first. It repairs
// an enforcement left half-done by a crash or a dropped connection first
// (see repair).
func (d *Directory) Methods(account string) ([]info.Method, error) {
	person, es, err := d.personWithMethods(account)
	if err != nil {
		return nil, err
	}
	if err := d.repair(person, es); err != nil {
		return nil, err
	}
	d.finishRemovals(person, es)
	es = d.undoRegistrations(person.DN, es)
	es = liveEntries(es) // sets being replaced (ReplaceMethods)
	out := make([]info.Method, 0, len(es))
	for _, e := range es {
		if !going(e) && !adding(e) { // a removal or registration under way, or cut off
			out = append(out, methodOf(e))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// methodAdd is the add request for a new method entry.
func (d *Directory) methodAdd(dn string, m info.Method, secret []byte) *ldap.AddRequest {
	add := ldap.NewAddRequest(dn, nil)
	ocs := []string{"siMethod"}
	if secret != nil {
		ocs = append(ocs, "oathTOTPToken")
		add.Attribute("oathSecret", []string{string(secret)})
		add.Attribute("oathTOTPParams", []string{d.cfg.paramsDN()})
		add.Attribute("description", []string{addingTag}) // until AddMethod's last write
		if m.LastStep > 0 {
			add.Attribute("oathTOTPLastTimeStep", []string{strconv.FormatInt(m.LastStep, 10)})
		}
	}
	if len(m.CredentialID) > 0 {
		ocs = append(ocs, "siSecurityKey")
		add.Attribute("siCredentialId", []string{string(m.CredentialID)})
		add.Attribute("siPublicKey", []string{string(m.PublicKey)})
		if u := uuidString(m.AAGUID); u != "" {
			add.Attribute("siAAGUID", []string{u})
		}
		if m.SignCount > 0 {
			add.Attribute("siSignCount", []string{countString(m.SignCount)})
		}
	}
	if m.Email != "" {
		ocs = append(ocs, "siEmailMethod")
		add.Attribute("siEmail", []string{m.Email})
	}
	if q := questionsString(m.Questions); q != "" {
		ocs = append(ocs, "siSecurityQuestions")
		add.Attribute("siQuestions", []string{q})
	}
	if m.Lookup != "" {
		ocs = append(ocs, "siAppPasswordLookup")
		add.Attribute("siLookup", []string{m.Lookup})
	}
	add.Attribute("objectClass", ocs)
	add.Attribute("siMethodId", []string{m.ID})
	add.Attribute("siKind", []string{string(m.Kind)})
	add.Attribute("siCreated", []string{generalized(m.Created)})
	for attr, v := range map[string]string{"siLabel": m.Label, "siPhone": m.Phone, "siChannel": m.Channel, "siHash": m.Hash} {
		if v != "" {
			add.Attribute(attr, []string{v})
		}
	}
	if m.Kind == info.KindAppPassword && m.Hash != "" {
		// Binding as the method's entry with the app password works
		// wherever the directory's argon2 module is loaded.
		add.Attribute("userPassword", []string{"{ARGON2}" + m.Hash})
	}
	return add
}

// AddMethod registers a method as a child entry of the person. An
// authenticator app (a method with a secret) becomes an oathTOTPToken,
// written in up to three writes: the token, marked as being registered
// ("adding"), so that it is neither listed nor linked by anyone else; the
// link on the person's entry, if they have no enforced token yet, so that
// slapo-otp asks for its code at every bind; and the mark cleared, the
// last write, whose success alone makes the app registered. If a write
// fails, the token is taken back as RemoveMethod removes one (the link
// may have been applied though its answer was lost); if that fails too
// (the directory went down), the mark stays and the next station to read
// the person's methods, or a bind of theirs, takes it back once the mark
// is stale (undoRegistrations). A registration that returned an error
// then leaves nothing behind, but for one case no station can tell: the
// mark's clearing applied and its answer lost with the directory.
func (d *Directory) AddMethod(account string, m info.Method, secret []byte) error {
	if err := checkID(m.ID); err != nil {
		return err
	}
	if m.HasSecret && secret == nil {
		return fmt.Errorf("method %q has HasSecret set but no secret was given", m.ID)
	}
	person, err := d.find(account)
	if err != nil {
		return err
	}
	dn := methodDN(person.DN, m.ID)
	if err := d.do(func(c *ldap.Conn) error { return c.Add(d.methodAdd(dn, m, secret)) }); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultEntryAlreadyExists) {
			return fmt.Errorf("method %q: %w", m.ID, info.ErrMethodExists)
		}
		return fmt.Errorf("save method: %w", err)
	}
	if secret == nil {
		return nil
	}
	if err := testHook("add: added"); err != nil {
		return d.takeBack(person.DN, dn, fmt.Errorf("save method: %w", err))
	}
	if person.GetAttributeValue("oathTOTPToken") == "" {
		err = d.link(person.DN, dn)
		if err == nil {
			err = testHook("add: linked")
		}
		if err != nil {
			return d.takeBack(person.DN, dn, fmt.Errorf("enforce the authenticator app: %w", err))
		}
	}
	if err := d.clearAdding(dn); err != nil {
		return d.takeBack(person.DN, dn, fmt.Errorf("finish the registration: %w", err))
	}
	return nil
}

// clearAdding clears a token's "adding" mark with a modify that deletes
// that value, so it fails if the token was removed, or marked for
// removal, meanwhile. A failure whose write was applied all the same (the
// answer lost and the request sent again) is told apart by reading the
// token back.
func (d *Directory) clearAdding(dn string) error {
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Delete("description", []string{addingTag})
	err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
	if err == nil {
		err = testHook("add: registered")
	}
	if err == nil {
		return nil
	}
	var res *ldap.SearchResult
	rerr := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=siMethod)", methodAttrs, nil))
		return err
	})
	if rerr == nil && len(res.Entries) == 1 && !adding(res.Entries[0]) && !going(res.Entries[0]) {
		return nil
	}
	return err
}

// takeBack removes a token whose registration failed with cause, as
// RemoveMethod would, and returns cause (and the removal's error if that
// failed too: the token's mark then stays for undoRegistrations).
func (d *Directory) takeBack(personDN, dn string, cause error) error {
	tok := ldap.NewEntry(dn, map[string][]string{"objectClass": {"siMethod", "oathTOTPToken"}})
	if _, err := d.retire(personDN, []*ldap.Entry{tok}); err != nil {
		d.failedTakeBack(dn)
		return fmt.Errorf("%w (and removing it again failed: %v)", cause, err)
	}
	return cause
}

// link makes the person's binds require tokenDN's code.
func (d *Directory) link(personDN, tokenDN string) error {
	mod := ldap.NewModifyRequest(personDN, nil)
	mod.Add("objectClass", []string{"oathTOTPUser"})
	mod.Replace("oathTOTPToken", []string{tokenDN})
	err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
	if ldap.IsErrorWithCode(err, ldap.LDAPResultAttributeOrValueExists) {
		// Already an oathTOTPUser: only point it at the token.
		mod = ldap.NewModifyRequest(personDN, nil)
		mod.Replace("oathTOTPToken", []string{tokenDN})
		err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
	}
	return err
}

// repair makes the person's enforcement match their tokens: registered
// tokens but no link (added by hand, or a registration of a station of an
// older version stopped before its link) links the oldest token; a link
// to a token that is gone (removed by hand, or by a station of an older
// version), being removed, or whose registration was cut off moves to
// another token or is removed, since slapo-otp refuses every bind of a
// person whose token is missing. A token being removed or registered is
// never linked by a repair. Every station does this when it
// reads a person's methods, at their next sign-in, rather than scanning
// the whole directory at start.
func (d *Directory) repair(person *ldap.Entry, methods []*ldap.Entry) error {
	linked := strings.ToLower(person.GetAttributeValue("oathTOTPToken"))
	oldest, present := usable(methods, linked)
	var err error
	switch {
	case linked != "" && present, linked == "" && oldest == nil:
		return nil
	case linked == "":
		_ = testHook("repair: read")
		err = d.linkChecked(person.DN, oldest.DN)
	default:
		_, err = d.settle(person.DN)
	}
	if err != nil {
		return fmt.Errorf("repair the authenticator app's enforcement: %w", err)
	}
	d.forget(person.DN)
	return nil
}

// UpdateMethod changes a method's record. The change is written as one
// modify that deletes each changed attribute's old value and adds the new
// one, so a concurrent change by another station (or slapo-otp recording
// a code) makes it fail instead of being overwritten; it is then read and
// tried again. A change that moves the authenticator's last step backwards
// is refused by the caller's own rule, which sees the fresh value.
func (d *Directory) UpdateMethod(account, id string, change func(*info.Method) error) error {
	if err := checkID(id); err != nil {
		return err
	}
	personDN, err := d.personDN(account)
	if err != nil {
		return err
	}
	dn := methodDN(personDN, id)
	for attempt := 0; ; attempt++ {
		var res *ldap.SearchResult
		err := d.do(func(c *ldap.Conn) error {
			var err error
			res, err = c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=siMethod)", methodAttrs, nil))
			return err
		})
		if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || (err == nil && len(res.Entries) == 0) {
			return fmt.Errorf("method %q: %w", id, info.ErrNoMethod)
		}
		if err != nil {
			return fmt.Errorf("update method: %w", err)
		}
		old := methodOf(res.Entries[0])
		m := old
		if err := change(&m); err != nil {
			return err
		}
		if m.ID != old.ID || m.HasSecret != old.HasSecret || m.Kind != old.Kind {
			return fmt.Errorf("method %q: the id, kind and whether it has a secret cannot change", id)
		}
		if subtle.ConstantTimeCompare(m.CredentialID, old.CredentialID) != 1 || subtle.ConstantTimeCompare(m.PublicKey, old.PublicKey) != 1 || subtle.ConstantTimeCompare(m.AAGUID, old.AAGUID) != 1 {
			return fmt.Errorf("method %q: a security key's credential cannot change", id)
		}
		if (m.Email == "") != (old.Email == "") || (len(m.Questions) == 0) != (len(old.Questions) == 0) {
			// Their auxiliary classes stay as the method was added.
			return fmt.Errorf("method %q: an email address or security questions can be changed, not added or removed", id)
		}
		if old.Lookup != "" && m.Lookup == "" {
			return fmt.Errorf("method %q: an app password's lookup digest can be changed, not removed", id)
		}
		mod := ldap.NewModifyRequest(dn, nil)
		if old.Lookup == "" && m.Lookup != "" {
			// An app password saved before lookup digests gets its
			// auxiliary class with its first one.
			mod.Add("objectClass", []string{"siAppPasswordLookup"})
		}
		swap(mod, "siLookup", old.Lookup, m.Lookup)
		swap(mod, "siLabel", old.Label, m.Label)
		swap(mod, "siPhone", old.Phone, m.Phone)
		swap(mod, "siChannel", old.Channel, m.Channel)
		swap(mod, "siHash", old.Hash, m.Hash)
		swap(mod, "siEmail", old.Email, m.Email)
		swap(mod, "siQuestions", questionsString(old.Questions), questionsString(m.Questions))
		if m.LastStep != old.LastStep {
			swap(mod, "oathTOTPLastTimeStep", stepString(old.LastStep), stepString(m.LastStep))
		}
		swap(mod, "siSignCount", countString(old.SignCount), countString(m.SignCount))
		if len(mod.Changes) == 0 {
			return nil
		}
		err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
		if err == nil {
			return nil
		}
		if attempt < 3 && ldap.IsErrorAnyOf(err, ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultAttributeOrValueExists, ldap.LDAPResultConstraintViolation) {
			continue // changed meanwhile: read it again
		}
		return fmt.Errorf("update method: %w", err)
	}
}

func stepString(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// swap adds to mod the delete of old and the add of new for attr: both
// in one modify, so it fails if attr no longer holds old.
func swap(mod *ldap.ModifyRequest, attr, old, new string) {
	if old == new {
		return
	}
	if old != "" {
		mod.Delete(attr, []string{old})
	}
	if new != "" {
		mod.Add(attr, []string{new})
	}
}

// RemoveMethod removes one method. Removing an authenticator first marks
// it as being removed, so that no station links it meanwhile, then points
// the person's enforcement at another of their apps, or removes it, and
// only then deletes the token (see retire).
func (d *Directory) RemoveMethod(account, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	person, err := d.find(account)
	if err != nil {
		return err
	}
	dn := methodDN(person.DN, id)
	var res *ldap.SearchResult
	err = d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=siMethod)", methodAttrs, nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || (err == nil && len(res.Entries) == 0) {
		return fmt.Errorf("method %q: %w", id, info.ErrNoMethod)
	}
	if err != nil {
		return fmt.Errorf("remove method: %w", err)
	}
	deleted, err := d.retire(person.DN, res.Entries)
	if err != nil {
		return fmt.Errorf("remove method: %w", err)
	}
	if len(deleted) == 0 {
		return fmt.Errorf("method %q: %w", id, info.ErrNoMethod)
	}
	return nil
}

// RemoveAllMethods removes every method of the person, enforcement first.
func (d *Directory) RemoveAllMethods(account string) (int, error) {
	person, err := d.find(account)
	if err != nil {
		return 0, err
	}
	es, err := d.methodEntries(person.DN)
	if err != nil {
		return 0, err
	}
	deleted, err := d.retire(person.DN, es)
	n, live := 0, liveEntries(es) // hidden entries are not counted
	for _, e := range deleted {
		if slices.Contains(live, e) && !going(e) && !adding(e) {
			n++
		}
	}
	if err != nil {
		return n, fmt.Errorf("remove methods: %w", err)
	}
	return n, nil
}

// Secret reads an authenticator app's seed (oathSecret), which only
// station accounts may read.
func (d *Directory) Secret(account, id string) ([]byte, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	personDN, err := d.personDN(account)
	if err != nil {
		return nil, err
	}
	var res *ldap.SearchResult
	err = d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(methodDN(personDN, id), ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=oathTOTPToken)", []string{"oathSecret"}, nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || (err == nil && len(res.Entries) == 0) {
		return nil, fmt.Errorf("method %q: %w", id, info.ErrNoMethod)
	}
	if err != nil {
		return nil, fmt.Errorf("read the key: %w", err)
	}
	b := res.Entries[0].GetRawAttributeValue("oathSecret")
	if len(b) == 0 {
		return nil, errors.New("read the key: the station may not read oathSecret: check the directory's access rules")
	}
	return b, nil
}
