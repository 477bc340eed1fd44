# Points joined by lines, one data block per series (headed by its quoted name; columns x, y),
# e.g. the points of a bisection sweep. The driver defines: dir, file, nblocks, title_, xlabel_,
# ylabel_, target (a horizontal reference line; NaN for none).
set grid
set key left top
set title title_
set xlabel xlabel_
set ylabel ylabel_
plot for [i=0:nblocks-1] dir.'/'.file index i using 1:2 with linespoints pt 7 lw 1.5 \
         title columnhead(1), \
     target with lines dt 2 lc rgb 'gray30' title (target == target ? 'target' : '')
