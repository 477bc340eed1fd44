# gnuplot template for model "retention" (the mechanisms.md 6.3 study, scenarios/REPRODUCTIONS.md).
# The generator defines `dir` and `settings` (data blocks in retention.dat) and writes
# retention.dat (one grid block per setting: W_C, S_H, W_H needed, NaN where no W_H retains)
# and retention-titles.gp (the array `titles`) before running this. One contour plot per
# setting: retention-<k>.png, k = setting index from 0 as in the DB's retention.setting.
load dir.'/retention-titles.gp'
set terminal pngcairo size 800,640 noenhanced font ",10"
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
do for [k = 0:settings-1] {
    set output sprintf('%s/retention-%d.png', dir, k)
    set title sprintf('Honest utility needed for retention (setting %d: %s)', k, titles[k+1])
    splot dir.'/retention.dat' index k using 1:2:3 with pm3d, \
          dir.'/retention.dat' index k using 1:2:3 with lines nosurface lc rgb 'black'
}
