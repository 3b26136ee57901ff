package memory

import "github.com/securityinfo/securityinfo/wizard/info"

// UpdateTries keeps name's Tries in an info.TriesTable, by slot, never
// the name.
func (s *Store) UpdateTries(name string, change func(*info.Tries) error) error {
	return s.tries.Update(name, change)
}
