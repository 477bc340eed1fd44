# Percentile fan chart across the runs of a sweep or Monte Carlo DB. The driver defines: dir,
# file (a header line, then x, 5th percentile, median, 95th percentile, runs), title_, ylabel_,
# tunit.
set grid
set key left top
set title title_
set xlabel sprintf('simulated time (%s)', tunit)
set ylabel ylabel_
set style fill transparent solid 0.3 noborder
plot dir.'/'.file using 1:2:4 with filledcurves lc rgb '#4477aa' title '5-95 % of runs', \
     dir.'/'.file using 1:3 with lines lw 2 lc rgb '#224477' title 'median'
