# gnuplot template for the token model. The generator defines `dir` (the output directory)
# and `stakers` (the number of data blocks in balances.dat), and writes supply.dat (years, supply, block reward, in tokens) and balances.dat (one block
# per staker, separated by two blank lines: years, balance in tokens) before running this.
set terminal pngcairo size 1000,600 noenhanced font ",10"
set grid
set key left top
set xlabel "simulated years"

set output dir.'/supply.png'
set title "Supply and block reward"
set ylabel "supply (tokens)"
set y2label "block reward (tokens)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
plot dir.'/supply.dat' using 1:2 with lines lw 2 title "supply", \
     dir.'/supply.dat' using 1:3 axes x1y2 with steps lw 2 title "block reward"

unset y2label
unset y2tics

set ytics mirror
set output dir.'/balances.png'
set title "Balance per staker (stake + free)"
set ylabel "tokens"
plot for [i=0:stakers-1] dir.'/balances.dat' index i using 1:2 with lines \
     title columnheader(1)
