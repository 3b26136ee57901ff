package phone

// RegionNameIn returns the generated table's name of the region code in
// lang (one of its languages, exactly: no English fallback), and whether
// the table has one.
func RegionNameIn(code, lang string) (string, bool) {
	for col, l := range regionNameLanguages {
		if l == lang {
			name := regionNameIn(code, col)
			return name, name != ""
		}
	}
	return "", false
}
