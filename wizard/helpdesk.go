package wizard

import (
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// SearchLimit is how many accounts a helpdesk search shows at most.
const SearchLimit = 20

// FindAccounts lists the names of accounts containing query for the
// signed-in helpdesk operator, at most SearchLimit of them, in name order;
// more says there were further matches. A query under two characters finds
// nothing, so a search never walks the whole directory for one letter.
func (f *Flow) FindAccounts(query string) (names []string, more bool, err error) {
	if f.page != PageHelpdesk {
		return nil, false, ErrNotNow
	}
	q := strings.ToLower(strings.TrimSpace(query))
	if len([]rune(q)) < 2 {
		return nil, false, nil
	}
	err = f.cfg.Dir.EachAccount(q, SearchLimit+1, func(a info.Account) error {
		names = append(names, a.Name)
		return nil
	})
	if len(names) > SearchLimit {
		names, more = names[:SearchLimit], true
	}
	return names, more, err
}
