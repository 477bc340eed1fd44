# Attacker emission share against its stake share. The driver defines: dir, file (one data block
# per attack operator, headed by its quoted name; columns x, emission share, stake share),
# nblocks, title_, tunit, marks (attack switch times) and marklabel. The gap between the two
# lines is what the attack gains.
set grid
set key left top
set title title_
set xlabel sprintf('simulated time (%s)', tunit)
set ylabel 'share of the subnet'
set yrange [0:1]
if (strlen(marks) > 0) {
    set for [m in marks] arrow from m, graph 0 to m, graph 1 nohead front dt 2 lw 1.5 lc rgb 'gray30'
}
plot for [i=0:nblocks-1] dir.'/'.file index i using 1:2 with lines lw 2 \
         title columnhead(1).' emission share', \
     for [i=0:nblocks-1] dir.'/'.file index i using 1:3 with lines dt 3 lw 2 \
         title columnhead(1).' stake share', \
     NaN with lines dt 2 lc rgb 'gray30' title (strlen(marks) > 0 ? marklabel : '')
