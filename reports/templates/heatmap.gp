# Heat map over two swept parameters. The driver defines: dir, file (a header line, then x, y,
# half-width, half-height, value averaged over the runs at that point), title_, xlabel_, ylabel_,
# cblabel_.
set title title_
set xlabel xlabel_
set ylabel ylabel_
set cblabel cblabel_
set palette rgb 33,13,10
set style fill solid 1.0 noborder
unset key
plot dir.'/'.file using 1:2:($1-$3):($1+$3):($2-$4):($2+$4):5 with boxxyerror palette
