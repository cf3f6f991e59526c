package newstext

import "strings"

// functionWords are English function words (and "said", news's commonest
// verb) with approximate frequencies per million words of news text.
var functionWords = []struct {
	w string
	f float64
}{
	{"the", 60000}, {"of", 28000}, {"to", 27000}, {"a", 24000}, {"and", 24000}, {"in", 22000},
	{"that", 10000}, {"for", 9500}, {"on", 8000}, {"is", 8000}, {"said", 7500}, {"was", 7000},
	{"with", 6500}, {"he", 6000}, {"it", 6000}, {"as", 5500}, {"at", 5200}, {"by", 5000},
	{"from", 4500}, {"his", 4200}, {"be", 4000}, {"has", 4000}, {"have", 3800}, {"are", 3600},
	{"an", 3500}, {"but", 3200}, {"not", 3000}, {"who", 2800}, {"they", 2700}, {"this", 2700},
	{"were", 2600}, {"will", 2500}, {"had", 2500}, {"their", 2300}, {"been", 2200}, {"its", 2200},
	{"would", 2000}, {"which", 2000}, {"after", 1900}, {"we", 1800}, {"she", 1700}, {"more", 1700},
	{"or", 1600}, {"about", 1500}, {"her", 1500}, {"than", 1300}, {"up", 1300}, {"one", 1300},
	{"also", 1200}, {"out", 1200}, {"when", 1200}, {"there", 1100}, {"all", 1100}, {"over", 1000},
	{"i", 1000}, {"new", 1000}, {"into", 950}, {"can", 900}, {"if", 900}, {"could", 850},
	{"some", 800}, {"two", 800}, {"last", 800}, {"first", 800}, {"other", 750}, {"no", 700},
	{"so", 700}, {"people", 700}, {"year", 700}, {"what", 650}, {"them", 650}, {"told", 600},
	{"like", 550}, {"because", 500}, {"before", 500}, {"while", 480}, {"against", 450}, {"during", 400},
	{"under", 380}, {"between", 350}, {"may", 350}, {"still", 340}, {"our", 330}, {"where", 320},
	{"how", 320}, {"since", 300}, {"only", 300}, {"just", 300}, {"those", 280}, {"any", 270},
	{"most", 260}, {"three", 250}, {"does", 240}, {"did", 240}, {"being", 230}, {"these", 220},
	{"him", 220}, {"should", 200}, {"says", 200}, {"very", 150}, {"through", 150}, {"until", 120},
}

// commonWords head the general content vocabulary: ordinary news words,
// commonest first (roughly).
var commonWords = strings.Fields(`
government year week police officials minister president country state time report million
percent company court city years country's party state's day public month law plan told
world group support news home members deal market week's leader officials' national former
prime house local family case health cost money deal security billion children women man
school election power economic water days night high months week-long region border team
service data according business issue office vote women's death life left war policy budget
system rights called decision political economy price prices growth oil rate interest workers
union industry foreign months' national military troops attack strike protest crowd district
region province village coast island river storm flood fire heat drought harvest farmers food
hospital doctors patients virus vaccine research scientists study survey poll results figures
increase decrease rise fall record level highest lowest early late morning evening spokesperson
residents families schools teachers students university technology internet software network
users platform customers sales profit losses revenue quarter forecast expected planned announced
confirmed denied reported published released agreed signed rejected talks meeting summit
conference visit trip delegation ambassador embassy domestic international regional federal
private sector factory plant production supply chain shortage demand costs fuel gas electricity
grid renewable climate emissions carbon targets pledge funding aid relief rescue emergency crisis
response investigation inquiry evidence witnesses charges arrest suspect victims damage buildings
roads bridge airport flights passengers train rail transport traffic cars vehicles batteries
contracts merger acquisition shareholders board chief executive director manager staff jobs
unemployment wages pensions benefits housing rent homes construction project strategy ruling
appeal measures rules regulation oversight corruption scandal resignation successor appointment
statement agency reports saying added including expected made make take took give gave see saw
come came going went known used found set held left began began show shows help keep need needs
want wants million-dollar plans plans' move moves change changes end start part place point
number group's way days' week's matter question problem issue's situation cases areas area
community city's leaders officials local media reporters analysts experts critics opposition
supporters lawmakers voters candidates campaign coalition parliament bill reform tax spending
deficit debt bank banks rates loan credit exports imports trade tariffs army soldiers forces
weapons missile ceasefire peace refugees camp border aid convoy storm-hit quake earthquake
wildfire floods rains temperatures weather season game match season's players coach club fans
stadium league cup title final win won lost score goals points record-breaking injury
`)

// topicWords head each topic's vocabulary, in TopicNames' order.
var topicWords = [Topics][]string{
	strings.Fields(`election vote minister parliament party coalition opposition senate congress
lawmakers ballot campaign candidate referendum cabinet governor mayor president constitution
reform bill legislation policy democrats republicans conservatives liberals poll polls voters
leadership resignation government's debate veto majority seat seats mandate`),
	strings.Fields(`shares market stocks investors profit revenue earnings quarter company's bank
inflation rates economy growth exports tariffs merger acquisition deal shareholders dividend
bonds currency dollar euro oil prices sales forecast retailer startup valuation ipo
layoffs factory output index traders analysts`),
	strings.Fields(`match goal goals season league cup final coach club players player striker
midfielder defender goalkeeper tournament championship title win victory defeat draw injury
transfer fans stadium minute minutes half score scored penalty referee squad manager
semi-final quarter-final race olympic`),
	strings.Fields(`smartphone software app apps users device devices chip chips data cloud
internet platform launch update security hackers privacy network online digital battery
screen camera display processor startup streaming algorithm artificial intelligence model
robot computing servers encryption browser`),
	strings.Fields(`hospital patients doctors virus vaccine vaccines outbreak disease cases
infection infections treatment drug drugs trial cancer health nurses symptoms clinic
pandemic deaths medical surgery study researchers risk diet obesity mental care insurance
prescription epidemic diagnosis`),
	strings.Fields(`scientists researchers study space mission nasa telescope planet earth climate
species fossil genome experiment data laboratory physics discovery orbit satellite rocket
launch ocean ice temperatures warming evolution cells universe galaxy astronomers particle
spacecraft journal findings`),
	strings.Fields(`police arrest arrested suspect court trial judge jury charged charges murder
shooting killed victim victims investigation detectives prison sentence sentenced guilty
prosecutors lawyer fraud theft robbery crime gun knife witness evidence custody bail
verdict appeal officers`),
	strings.Fields(`troops forces army military attack attacks killed soldiers rebels militants
ceasefire war airstrike airstrikes missile missiles border fighting offensive refugees
civilians casualties bombing explosion gunmen hostages sanctions diplomats peace talks
security defence drone drones convoy`),
}

var firstNames = strings.Fields(`Anna Ben Carla David Elena Farid Grace Hiro Ines Jonas Kateryna Liam
Maria Nikolai Olga Pablo Quentin Rosa Samir Tomas Ursula Viktor Wei Yasmin Zoltan Amara Bruno Chiara
Dmitri Esther Felipe Greta Hassan Ingrid Javier Kwame Lena Mateo Noor Oskar John Michael James Robert
Sarah Jennifer Emily Ahmed Mohammed Li Chen Raj Priya Fatima Omar Daniel Laura Peter Paul Mark Susan`)

// orgKinds make organisations' names: "Brentmoor Bank".
var orgKinds = strings.Fields(`Group Bank Holdings Airlines Motors Energy Pharma Systems Capital Foods
Telecom Partners Institute University Foundation Council Party Union Agency`)

var cities = strings.Fields(`London Paris Berlin Washington Beijing Tokyo Moscow Brussels Rome Madrid
Kyiv Geneva Delhi Mumbai Sydney Toronto Chicago Boston Seoul Cairo Nairobi Lagos Istanbul Ankara
Dubai Jakarta Manila Bangkok Singapore Vienna Warsaw Prague Athens Dublin Lisbon Oslo Stockholm
Helsinki Copenhagen Amsterdam Zurich Milan Munich Frankfurt Hamburg Barcelona Lyon Marseille
Glasgow Manchester Liverpool Houston Dallas Miami Atlanta Seattle Denver Phoenix Detroit Ottawa
Montreal Vancouver Lima Bogota Santiago Caracas Havana Tehran Baghdad Kabul Karachi Dhaka Hanoi
Taipei Shanghai Osaka Beirut Damascus Riyadh Doha Tunis Algiers Accra Dakar Kampala Harare`)
