# Contour map of model "retention" (the mechanisms.md 6.3 study, scenarios/REPRODUCTIONS.md),
# one setting per plot. The driver defines: dir, file (retention.dat: one grid block per
# setting: W_C, S_H, W_H needed, NaN where no W_H retains), k (the block) and title_.
set datafile missing NaN
set view map
set pm3d map interpolate 0,0
set contour base
set cntrparam levels incremental 0, 0.1, 1
set cntrlabel onecolor format '%.1f' font ',8'
set cbrange [0:1]
set xrange [0:1]
set yrange [*:*]
set xlabel "W_C (cabal self-weight)"
set ylabel "S_H (honest stake share)"
set cblabel "W_H needed to retain S_H"
set palette rgb 33,13,10
unset key
set title title_
splot dir.'/'.file index k using 1:2:3 with pm3d, \
      dir.'/'.file index k using 1:2:3 with lines nosurface lc rgb 'black'
