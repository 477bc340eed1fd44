# One line per entity against simulated time. The driver defines: dir, file (one data block per
# entity, separated by two blank lines, each headed by the entity's quoted name; columns x, y),
# nblocks, title_, ylabel_, tunit, marks and marklabel.
set grid
set key outside right top
set title title_
set xlabel sprintf('simulated time (%s)', tunit)
set ylabel ylabel_
if (strlen(marks) > 0) {
    set for [m in marks] arrow from m, graph 0 to m, graph 1 nohead front dt 2 lw 1.5 lc rgb 'gray30'
}
plot for [i=0:nblocks-1] dir.'/'.file index i using 1:2 with lines lw 1.5 title columnhead(1), \
     NaN with lines dt 2 lc rgb 'gray30' title (strlen(marks) > 0 ? marklabel : '')
