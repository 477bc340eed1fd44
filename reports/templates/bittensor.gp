# gnuplot template for the bittensor model. The generator defines `dir` (the output directory)
# and `subnets` (the number of data blocks in prices.dat), and writes, in tokens against
# simulated years:
#   supply.dat    years, TotalIssuance (TAO), block emission (TAO)
#   halvings.dat  years, TotalIssuance at each halving block (TAO)
#   emission.dat  years, cumulative alpha paid to owners, miners, validators, root stakers
#   prices.dat    one block per subnet ("subnet-N" header): years, pool price (TAO per alpha),
#                 registration burn (TAO)
#   attacks.dat   (when `attacks` > 0) one block per attack operator: years, the attacker's
#                 emission share, its stake share; attack-marks.dat: years at which an attack
#                 switched on or off (when `attack_marks` is 1)
set terminal pngcairo size 1000,600 noenhanced font ",10"
set grid
set key left top
set xlabel "simulated years"

set output dir.'/supply.png'
set title "TAO issuance and block emission (halvings marked)"
set ylabel "TotalIssuance (TAO)"
set y2label "block emission (TAO)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
plot dir.'/supply.dat' using 1:2 with lines lw 2 title "TotalIssuance", \
     dir.'/supply.dat' using 1:3 axes x1y2 with steps lw 2 title "block emission", \
     dir.'/halvings.dat' using 1:2 with points pt 7 ps 1.5 title "halving"

unset y2label
unset y2tics
set ytics mirror

set output dir.'/emission.png'
set title "Alpha paid by role (all subnets, cumulative)"
set ylabel "alpha"
plot dir.'/emission.dat' using 1:2 with lines lw 2 title "owners (18%)", \
     dir.'/emission.dat' using 1:3 with lines lw 2 title "miners (41%)", \
     dir.'/emission.dat' using 1:4 with lines lw 2 title "validators and nominators", \
     dir.'/emission.dat' using 1:5 with lines lw 2 title "root stakers"

set output dir.'/prices.png'
set title "Pool price per subnet"
set ylabel "TAO per alpha"
plot for [i=0:subnets-1] dir.'/prices.dat' index i using 1:2 with lines title columnheader(1)

set output dir.'/burn.png'
set title "Registration burn per subnet"
set ylabel "TAO"
plot for [i=0:subnets-1] dir.'/prices.dat' index i using 1:3 with steps title columnheader(1)

if (attacks > 0) {
    set output dir.'/attacks.png'
    set title "Attacker emission share vs stake share (the gap is the attack's gain)"
    set ylabel "share of the subnet"
    set yrange [0:1]
    if (attack_marks) {
        set for [x in system("cat '".dir."/attack-marks.dat'")] arrow from x, graph 0 to x, graph 1 nohead dt 2 lc rgb "gray"
    }
    plot for [i=0:attacks-1] dir.'/attacks.dat' index i using 1:2 with lines lw 2 title columnheader(1).' emission share', \
         for [i=0:attacks-1] dir.'/attacks.dat' index i using 1:3 with lines dt 3 lw 2 title columnheader(1).' stake share'
}
