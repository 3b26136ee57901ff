package words

import (
	"fmt"
	"time"
)

// Duration says d the way a person would, rounded up to a whole second:
// "a second", "25 seconds", "a minute", "10 minutes", "2 minutes 30
// seconds", "an hour", "1 hour 5 minutes". Never "1s" or "600 seconds".
func Duration(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	h, m, s := s/3600, s/60%60, s%60
	switch {
	case h > 0 && m == 0:
		return count(h, "an hour", "hours")
	case h > 0:
		// Seconds don't matter once hours are counted.
		return fmt.Sprintf("%d %s %s", h, unit(h, "hour"), count(m, "1 minute", "minutes"))
	case m == 0:
		return count(s, "a second", "seconds")
	case s == 0:
		return count(m, "a minute", "minutes")
	}
	return fmt.Sprintf("%s %s", count(m, "1 minute", "minutes"), count(s, "1 second", "seconds"))
}

// count is one when n is 1, else "n many".
func count(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func unit(n int, name string) string {
	if n == 1 {
		return name
	}
	return name + "s"
}

// WrongCode is what every method says of a wrong code: "That code isn't
// right. Check it and try again (4 tries left)."; without the count when
// left is below 1.
func WrongCode(left int) string {
	if left < 1 {
		return "That code isn't right. Check it and try again."
	}
	return fmt.Sprintf("That code isn't right. Check it and try again (%s left).", count(left, "1 try", "tries"))
}

// Plural is n with the noun that agrees with it: "1 method", "2 methods",
// "0 methods".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
