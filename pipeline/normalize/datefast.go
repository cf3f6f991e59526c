package normalize

import "time"

// parseCommonDate reads the two shapes nearly every feed date has, RFC 1123
// ("Mon, 02 Jan 2006 15:04:05 -0700": the weekday optional, the offset
// with or without a colon, or a zone abbreviation from zoneOffsets) and
// RFC 3339 ("2006-01-02T15:04:05.999Z", "…+01:00"), without tidyDate's
// copies and the walk over dateLayouts that made dates a sixth of a
// headline's normalize. It gives what parseTidied(tidyDate(s)) gives, or
// ok false: for any other spelling, and for these shapes when a field is
// out of range or the offset is one badTidiedOffset rejects, so that the
// full path reads or flags them as before (FuzzCommonDateMatchesFullPath).
func parseCommonDate(s string) (t time.Time, zoned, ok bool) {
	if len(s) >= len("2006-01-02T15:04:05Z") && s[4] == '-' {
		return parseRFC3339Date(s)
	}
	return parseRFC1123Date(s)
}

// parseRFC3339Date reads "2006-01-02T15:04:05" with an optional fraction
// of one to nine digits after a dot, then "Z" or "±hh:mm".
func parseRFC3339Date(s string) (t time.Time, zoned, ok bool) {
	if s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	mins, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false, false
	}
	rest := s[19:]
	nsec := 0
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, false, false
		}
		frac, _ := digits(rest[1:n])
		for range 10 - n {
			frac *= 10
		}
		nsec, rest = frac, rest[n:]
	}
	off := 0
	switch {
	case rest == "Z":
	case len(rest) == len("+07:00") && rest[3] == ':':
		if off, ok = zoneOffset(rest[0], rest[1:3], rest[4:6]); !ok {
			return time.Time{}, false, false
		}
	default:
		return time.Time{}, false, false
	}
	return clockTime(year, month, day, hour, mins, sec, nsec, off)
}

// parseRFC1123Date reads "[Weekday, ]D[D] Mon 2006 15:04:05 zone" with
// single spaces, the weekday in ASCII letters (tidyDate drops any word
// before a comma unread), the month in English (any case) and the zone
// "±hhmm", "±hh:mm" or an upper-case abbreviation zoneOffsets knows.
func parseRFC1123Date(s string) (t time.Time, zoned, ok bool) {
	i := 0
	for i < len(s) && isASCIILetter(s[i]) {
		i++
	}
	if i > 0 {
		if i+1 >= len(s) || s[i] != ',' || s[i+1] != ' ' {
			return time.Time{}, false, false
		}
		s = s[i+2:]
	}
	// What is left: "02 Jan 2006 15:04:05 " (or a single-digit day, as
	// time.Parse reads "2"), then the zone.
	day, ok1 := 0, false
	switch {
	case len(s) > 1 && s[1] == ' ':
		day, ok1 = digits(s[:1])
		s = s[2:]
	case len(s) > 2 && s[2] == ' ':
		day, ok1 = digits(s[:2])
		s = s[3:]
	}
	const head = len("Jan 2006 15:04:05 ")
	if !ok1 || len(s) < head+len("EST") || s[3] != ' ' || s[8] != ' ' || s[11] != ':' || s[14] != ':' || s[17] != ' ' {
		return time.Time{}, false, false
	}
	month := monthNumber(s[0:3])
	year, ok2 := digits(s[4:8])
	hour, ok3 := digits(s[9:11])
	mins, ok4 := digits(s[12:14])
	sec, ok5 := digits(s[15:17])
	if !(ok2 && ok3 && ok4 && ok5) || month == 0 {
		return time.Time{}, false, false
	}
	zone := s[head:]
	off := 0
	switch {
	case (zone[0] == '+' || zone[0] == '-') && len(zone) == len("+0700"):
		off, ok = zoneOffset(zone[0], zone[1:3], zone[3:5])
	case (zone[0] == '+' || zone[0] == '-') && len(zone) == len("+07:00") && zone[3] == ':':
		off, ok = zoneOffset(zone[0], zone[1:3], zone[4:6])
	case len(zone) == 3 || len(zone) == 4 && zone[3] == 'T': // what time.Parse takes for MST
		off, ok = zoneOffsets[zone]
		for j := range len(zone) {
			ok = ok && 'A' <= zone[j] && zone[j] <= 'Z'
		}
	}
	if !ok {
		return time.Time{}, false, false
	}
	return clockTime(year, month, day, hour, mins, sec, 0, off)
}

// clockTime is the instant of a wall clock at a zone offset, in UTC, when
// every field is in the range time.Parse accepts.
func clockTime(year, month, day, hour, mins, sec, nsec, off int) (time.Time, bool, bool) {
	if month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year) || hour > 23 || mins > 59 || sec > 59 {
		return time.Time{}, false, false
	}
	t := time.Date(year, time.Month(month), day, hour, mins, sec, nsec, time.UTC)
	return t.Add(-time.Duration(off) * time.Second).UTC(), true, true
}

// zoneOffset is a numeric offset in seconds, and false for a sign other
// than '+' or '-' and for an offset badTidiedOffset rejects (beyond −12:00
// or +14:00, or 60 minutes or more).
func zoneOffset(sign byte, hh, mm string) (int, bool) {
	h, ok1 := digits(hh)
	m, ok2 := digits(mm)
	off := h*60 + m
	if sign == '-' {
		off = -off
	}
	if !ok1 || !ok2 || sign != '+' && sign != '-' || m >= 60 || off < -12*60 || off > 14*60 {
		return 0, false
	}
	return off * 60, true
}

// digits is s as a decimal number, and false unless every byte is a digit.
func digits(s string) (int, bool) {
	n := 0
	for i := range len(s) {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, len(s) > 0
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// monthNumber is 1–12 for an English three-letter month in any case, 0
// for anything else.
func monthNumber(m string) int {
	if len(m) != 3 || !isASCIILetter(m[0]) || !isASCIILetter(m[1]) || !isASCIILetter(m[2]) {
		return 0
	}
	key := string([]byte{m[0] | 0x20, m[1] | 0x20, m[2] | 0x20})
	for i, name := range [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if key == name {
			return i + 1
		}
	}
	return 0
}

// daysInMonth is the number of days in a month of the proleptic Gregorian
// calendar, as time.Parse checks a day against it.
func daysInMonth(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
