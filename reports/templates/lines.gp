# Lines against simulated time. The driver (rp_gnuplot.c) defines: dir, file (data file: a
# header line of quoted column names, then x and ncols value columns), ncols, title_, ylabel_,
# style ('lines', 'steps', 'points' or 'stacked': cumulative filled areas), tunit (x unit),
# marks (x positions of halvings / attack starts, space separated) and marklabel.
set grid
set key left top
set title title_
set xlabel sprintf('simulated time (%s)', tunit)
set ylabel ylabel_
if (strlen(marks) > 0) {
    set for [m in marks] arrow from m, graph 0 to m, graph 1 nohead front dt 2 lw 1.5 lc rgb 'gray30'
}
if (style eq 'stacked') {
    set style fill solid 0.6 border -1
    plot for [i=ncols+1:2:-1] dir.'/'.file using 1:(sum [k=2:i] column(k)) \
             with filledcurves x1 title columnhead(i), \
         NaN with lines dt 2 lc rgb 'gray30' title (strlen(marks) > 0 ? marklabel : '')
} else {
    plot for [i=2:ncols+1] dir.'/'.file using 1:i with @style lw 2 title columnhead(i), \
         NaN with lines dt 2 lc rgb 'gray30' title (strlen(marks) > 0 ? marklabel : '')
}
