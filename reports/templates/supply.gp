# Supply (left axis) and issuance rate (right axis) against simulated time, halvings marked.
# The driver defines: dir, file (x, supply, rate; a header line of quoted names), title_,
# ylabel_, y2label_, tunit, marks (halving positions, space separated) and marklabel.
set grid
set key left top
set title title_
set xlabel sprintf('simulated time (%s)', tunit)
set ylabel ylabel_
set y2label y2label_
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
if (strlen(marks) > 0) {
    set for [m in marks] arrow from m, graph 0 to m, graph 1 nohead front dt 2 lw 1.5 lc rgb 'gray30'
}
plot dir.'/'.file using 1:2 with lines lw 2 title columnhead(2), \
     dir.'/'.file using 1:3 axes x1y2 with steps lw 2 title columnhead(3), \
     NaN with lines dt 2 lc rgb 'gray30' title (strlen(marks) > 0 ? marklabel : '')
