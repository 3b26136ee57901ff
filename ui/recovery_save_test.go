package ui

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

// Why the codes weren't saved is said in words, with what to do instead;
// the error's own text (English, technical) stays in the log.
func TestCodesNotSaved_SaysWhyInWords(t *testing.T) {
	for name, c := range map[string]struct {
		err  error
		want string
	}{
		"not allowed": {&fs.PathError{Op: "open", Path: "/home/ana/Documents/Contoso recovery codes.txt", Err: syscall.EACCES},
			"you aren't allowed to write to /home/ana/Documents. Copy or print them instead."},
		"read-only": {&fs.PathError{Op: "open", Path: "/home/ana/Contoso recovery codes.txt", Err: syscall.EPERM},
			"you aren't allowed to write to /home/ana. Copy or print them instead."},
		"disk full": {&fs.PathError{Op: "write", Path: "/home/ana/Documents/x.txt", Err: syscall.ENOSPC},
			"the disk is full. Copy or print them instead."},
		"anything else": {errors.New("too many files with that name"),
			"The codes couldn't be saved. Copy or print them instead."},
	} {
		t.Run(name, func(t *testing.T) {
			got := codesNotSaved(c.err)
			if !strings.HasSuffix(got, c.want) {
				t.Errorf("codesNotSaved(%v) = %q, want it to end %q", c.err, got, c.want)
			}
			if strings.Contains(got, c.err.Error()) || strings.Contains(got, "denied") || strings.Contains(got, "space left") {
				t.Errorf("the error's own text reached the person: %q", got)
			}
		})
	}
}
