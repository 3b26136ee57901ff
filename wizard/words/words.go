// Package words keeps what Security Info says to people apart from what it
// writes in logs. An error a person may meet carries its own words: whole
// sentences that say what happened and what to do next. Its Error text
// stays what Go errors are, lower case and made to be wrapped, so a log
// keeps the whole chain ("save the authenticator app: add method: …")
// while the person reads only the words of the error that matters. Of
// finds those words anywhere in a chain.
package words

import "errors"

// Worded is an error that carries its words for people.
type Worded interface {
	error
	// Words is what a person reads: whole sentences, capitalised, with
	// full stops.
	Words() string
}

// Error is an error with words for people. Make one with New or Like.
type Error struct {
	text, words string
	like        error
}

var _ Worded = (*Error)(nil)

// New returns an error whose Error is text, for logs and chains, and
// whose Words are words, for people.
func New(text, words string) *Error { return &Error{text: text, words: words} }

// Like is New for an error that is also target: errors.Is(err, target)
// holds, so an error with words of its own can stand in for a more general
// one.
func Like(target error, text, words string) *Error {
	return &Error{text: text, words: words, like: target}
}

// Error returns the text for logs and chains.
func (e *Error) Error() string { return e.text }

// Words returns the words for people.
func (e *Error) Words() string { return e.words }

// Unwrap returns the error given to Like, if any.
func (e *Error) Unwrap() error { return e.like }

// Of returns the words for people of the first error in err's chain that
// has some, and false if none has.
func Of(err error) (string, bool) {
	var w Worded
	if errors.As(err, &w) {
		return w.Words(), true
	}
	return "", false
}
