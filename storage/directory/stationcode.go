package directory

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// BindProved is Bind for a person whose second factor the app has proved
// itself (a recovery code, checked against its hash first): the directory
// still checks the password, and where it enforces the person's
// authenticator app at every bind (oathTOTPToken), the station follows the
// password with the code of that app for a step slapo-otp still accepts
// (stationCode), computed from the key (oathSecret) stations may read. The
// bind records that step, and Bind writes it again so that it replicates
// (replicateStep): the code is used as any code the person typed, and
// neither it nor an earlier one works again anywhere. Its caller must have
// proved a second factor: this bind proves the password alone.
//
// The step is taken from the station's clock: one more than 30 s away
// from the directory's and the code is refused, and counted by ppolicy as
// a wrong password (stations keep time as the authenticator codes they
// check need).
func (d *Directory) BindProved(name, password string) (info.Account, error) {
	e, err := d.find(name)
	if err != nil {
		return info.Account{}, err
	}
	tok := e.GetAttributeValue("oathTOTPToken")
	if tok == "" {
		return d.Bind(name, password)
	}
	code, err := d.stationCode(tok, time.Now())
	if err != nil {
		return info.Account{}, err
	}
	return d.Bind(name, password+code)
}

// stationCode is the code of the token at tokenDN for the earliest step
// slapo-otp accepts at now: the current one, or the one after the last
// step it accepted (oathTOTPLastTimeStep) if that is the current one
// already. slapo-otp accepts a step within the current one ±1
// (oathTOTPTimeStepWindow, base.ldif) and later than the last one; a step
// further ahead than the next (the person's next code already used, by a
// device whose clock is ahead) is waited for, at most one period, rather
// than sent to be refused and counted as a wrong password.
func (d *Directory) stationCode(tokenDN string, now time.Time) (string, error) {
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(tokenDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
			"(objectClass=oathTOTPToken)", []string{"oathSecret", "oathTOTPLastTimeStep"}, nil))
		return err
	})
	if err != nil || len(res.Entries) != 1 {
		if err == nil {
			err = errors.New("no such token")
		}
		return "", fmt.Errorf("read the authenticator app the directory asks for: %w", err)
	}
	key := res.Entries[0].GetRawAttributeValue("oathSecret")
	if len(key) == 0 {
		return "", errors.New("read the authenticator app the directory asks for: the station may not read oathSecret: check the directory's access rules")
	}
	defer secret.Zero(key)
	last := int64(-1)
	if v := res.Entries[0].GetAttributeValue("oathTOTPLastTimeStep"); v != "" {
		if last, err = strconv.ParseInt(v, 10, 64); err != nil {
			return "", fmt.Errorf("read the authenticator app the directory asks for: oathTOTPLastTimeStep %q: %w", v, err)
		}
	}
	cur := authapp.Step(now)
	step := max(cur, last+1)
	if step > cur+1 {
		next := time.Unix((cur+1)*int64(authapp.Period/time.Second), 0)
		time.Sleep(min(next.Sub(now), authapp.Period))
		cur++
	}
	if step > cur+1 {
		return "", fmt.Errorf("the authenticator app's codes are used up to step %d, ahead of this station's clock (step %d)", last, cur)
	}
	return authapp.Code(key, time.Unix(step*int64(authapp.Period/time.Second), 0)), nil
}
