# Lorenz curves. The driver defines: dir, file (one data block per distribution, headed by its
# quoted name; columns: cumulative share of holders, cumulative share of the total), nblocks,
# title_. The diagonal is perfect equality; the Gini index is twice the area between the two.
set grid
set key left top
set title title_
set xlabel 'cumulative share of holders (poorest first)'
set ylabel 'cumulative share of the total'
set xrange [0:1]
set yrange [0:1]
set size ratio -1
plot x with lines dt 2 lc rgb 'gray30' title 'equality', \
     for [i=0:nblocks-1] dir.'/'.file index i using 1:2 with lines lw 2 title columnhead(1)
