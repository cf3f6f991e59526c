package entities

// tradeShows are the gatherings news names by their capitals alone: a
// festival or a trade show is an event, which the labels leave out, not
// the body that runs it ("SXSW or CES? Why not both?"). Without the list
// an unknown word in capitals reads as an organization's acronym. Only
// names that spell no body in news: NAB and IBC are also a broadcasters'
// association and a bank.
var tradeShows = set(`sxsw ces mwc wwdc cebit gdc comdex`)
