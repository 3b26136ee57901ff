package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLine is the longest input line read; anything longer is refused
// without being kept.
const maxLine = 64 << 10

// errLineTooLong means an input line was longer than maxLine.
var errLineTooLong = fmt.Errorf("the input line is longer than %d bytes", maxLine)

// lines reads stdin one line at a time.
type lines struct{ r *bufio.Reader }

func newLines(r io.Reader) *lines { return &lines{bufio.NewReader(r)} }

// next reads one line without its line ending; at the end of input it
// returns what there was (maybe "").
func (l *lines) next() (string, error) {
	var b strings.Builder
	for {
		chunk, err := l.r.ReadSlice('\n')
		if b.Len()+len(chunk) > maxLine+2 {
			// Drain the rest of the line without keeping it.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = l.r.ReadSlice('\n')
			}
			return "", errLineTooLong
		}
		b.Write(chunk)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return "", err
		}
		return strings.TrimRight(b.String(), "\r\n"), nil
	}
}

// secret reads one secret: from a no-echo prompt on a terminal, else the
// next line of stdin.
func (c *command) secret(in *lines, prompt string) (string, error) {
	if c.env.ReadPassword != nil {
		return c.env.ReadPassword(prompt)
	}
	return in.next()
}
