package directory

// SetReplaceCrash makes ReplaceMethods call f between its steps, until
// restore is called.
func SetReplaceCrash(f func(step string)) (restore func()) {
	old := replaceCrash
	replaceCrash = f
	return func() { replaceCrash = old }
}
