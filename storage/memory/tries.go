package memory

import "github.com/securityinfo/securityinfo/wizard/info"

// UpdateTries keeps name's Counts in an info.SlotTable, by slot, never
// the name.
func (s *Store) UpdateTries(name string, change func(*info.Counts) error) error {
	return s.tries.Update(name, change)
}
