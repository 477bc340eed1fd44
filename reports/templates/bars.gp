# Clustered bars. The driver defines: dir, file (a header line of quoted names, then one row per
# bar group: quoted label, ncols values), ncols, title_, xlabel_, ylabel_. Labels are thinned
# to about 25 along the axis.
set grid ytics
set key left top
set title title_
set xlabel xlabel_
set ylabel ylabel_
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -45 nomirror
stats dir.'/'.file using 0 nooutput
every_ = STATS_records > 25 ? int(STATS_records / 25) + 1 : 1
plot for [i=2:ncols+1] dir.'/'.file using i:xtic(int($0) % every_ == 0 ? stringcolumn(1) : '') \
     title columnhead(i)
