// SPDX-License-Identifier: MIT
/* sgp4.c - SGP4/SDP4 orbit propagation (Vallado et al. 2006, WGS-72) */
#include <math.h>
#include <string.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/lib/util.h"
#include "topo/sgp4.h"

/*
 * The model is the one of Vallado, Crawford, Hujsak and Kelso, "Revisiting
 * Spacetrack Report #3", AIAA 2006-6753, and its companion code: SGP4 for
 * periods under 225 minutes, SDP4 (lunar-solar periodics in dscom/dpper,
 * secular and resonance terms in dsinit/dspace) above. The structure and the
 * equations follow the paper's sgp4init/sgp4 so that each line can be
 * checked against it; the names are the paper's. tests/test_sgp4.c checks
 * the result against the paper's verification output (tcppver.out).
 *
 * Deviations that do not change the numbers beyond rounding:
 * - dpper is not called at initialisation: with init = 'y' it changes
 *   nothing (peo, pinco, plo, pgho and pho are zero, so they are left out).
 * - The deep-space short-period coefficients (con41, x1mth2, x7thm1, aycof,
 *   xlcof) are recomputed in locals instead of being written back into the
 *   satellite, so that propagation only writes error and the integrator.
 * - Near-Earth propagation reuses (xke / n)^(2/3) and sin/cos of the
 *   inclination from initialisation, and computes am^1.5 as am * sqrt(am).
 * - Where an angle gets a small correction (the Newton steps of Kepler's
 *   equation after the first, the short-period corrections of the argument
 *   of latitude and of the inclination, the drag term of the mean anomaly)
 *   its sine and cosine are rotated by the correction (sgp4_rotate) instead
 *   of being computed anew, and sin/cos of the argument of latitude come
 *   from sinu and cosu normalised instead of from atan2. These save half of
 *   the trigonometric calls of a near-Earth propagation; the results agree
 *   with the paper's to about 1e-11 km.
 * Additions: sgp4_init rejects e outside [0, 1) (code 1) and n <= 0
 * (code 2) before computing with them, sgp4_propagate returns that code
 * again for such a satellite, reports a state that is not a number as
 * decayed (code 6), and refuses times beyond SGP4_MAX_TSINCE minutes (code
 * SGP4_E_TIME), where the resonance integrator would run for too long (or
 * forever, for an infinite time).
 */

#define TWOPI (2.0 * TOPO_PI)
#define X2O3 (2.0 / 3.0)

/* WGS-72 as getgravconst("wgs72") gives it. */
#define RE TOPO_WGS72_RE
#define MU TOPO_WGS72_MU
#define J2 TOPO_WGS72_J2
#define J3 (-0.00000253881)
#define J4 (-0.00000165597)
#define J3OJ2 (J3 / J2)
/* sqrt(mu) in earth radii^1.5 per minute; folded to a constant by gcc. */
#define XKE (60.0 / sqrt(RE * RE * RE / MU))
#define VKMPERSEC (RE * XKE / 60.0)

/* Earth rotation in rad/min used by the resonance terms (dsinit, dspace). */
#define RPTIM 4.37526908801129966e-3

/*
 * sin and cos of a + d from s0 = sin a and c0 = cos a, for |d| <= SMALL_ANGLE:
 * the addition theorem with Taylor series of sin d and cos d - 1, whose
 * truncation errors are under 1e-22 there. The result equals sincos(a + d)
 * to rounding at a fraction of its cost; sgp4_propagate uses it where the
 * algorithm adds a small correction to an angle whose sine it already has.
 */
#define SMALL_ANGLE 0.01

static inline void sgp4_rotate(double s0, double c0, double d, double *s,
			       double *c)
{
	double d2 = d * d;
	double sd, cdm1;

	sd = 1.0 - d2 * (1.0 / 42.0);
	sd = 1.0 - d2 * (1.0 / 20.0) * sd;
	sd = d * (1.0 - d2 * (1.0 / 6.0) * sd);
	cdm1 = 1.0 - d2 * (1.0 / 56.0);
	cdm1 = 1.0 - d2 * (1.0 / 30.0) * cdm1;
	cdm1 = -d2 * 0.5 * (1.0 - d2 * (1.0 / 12.0) * cdm1);

	*s = s0 + (s0 * cdm1 + c0 * sd);
	*c = c0 + (c0 * cdm1 - s0 * sd);
}

/*
 * The items of dscom that dsinit needs besides those kept in the satellite:
 * solar (s*, ss*) and lunar (z*, sz*) coefficients at epoch.
 */
struct sgp4_dscom {
	double sinim, cosim, emsq;
	double s1, s2, s3, s4, s5;
	double ss1, ss2, ss3, ss4, ss5;
	double z1, z3, z11, z13, z21, z23, z31, z33;
	double sz1, sz3, sz11, sz13, sz21, sz23, sz31, sz33;
};

/*
 * dscom: deep-space common items at epoch (tc = 0): the lunar and solar
 * terms, and the coefficients of their long-period periodics, which dpper
 * applies at every propagation.
 */
static void sgp4_dscom(struct sgp4_sat *s, double epoch, double tc,
		       struct sgp4_dscom *c)
{
	const double zes = 0.01675, zel = 0.05490;
	const double c1ss = 2.9864797e-6, c1l = 4.7968065e-7;
	const double zsinis = 0.39785416, zcosis = 0.91744867;
	const double zcosgs = 0.1945905, zsings = -0.98088458;
	double nm = s->no_unkozai, em = s->ecco;
	double snodm = sin(s->nodeo), cnodm = cos(s->nodeo);
	double sinomm = sin(s->argpo), cosomm = cos(s->argpo);
	double sinim = sin(s->inclo), cosim = cos(s->inclo);
	double emsq = em * em, betasq = 1.0 - emsq, rtemsq = sqrt(betasq);
	double day, xnodce, stem, ctem, zcosil, zsinil, zsinhl, zcoshl, gam;
	double zx, zy, zcosgl, zsingl, zcosg, zsing, zcosi, zsini, zcosh;
	double zsinh, cc, xnoi;
	double a1, a2, a3, a4, a5, a6, a7, a8, a9, a10;
	double x1, x2, x3, x4, x5, x6, x7, x8;
	double z1, z2, z3, z11, z12, z13, z21, z22, z23, z31, z32, z33;
	double s1, s2, s3, s4, s5, s6, s7;
	double ss1 = 0, ss2 = 0, ss3 = 0, ss4 = 0, ss6 = 0, ss7 = 0;
	double sz1 = 0, sz2 = 0, sz3 = 0, sz11 = 0, sz12 = 0, sz13 = 0;
	double sz21 = 0, sz22 = 0, sz23 = 0, sz31 = 0, sz32 = 0, sz33 = 0;

	/* Initialise the lunar and solar terms. */
	day = epoch + 18261.5 + tc / 1440.0;
	xnodce = fmod(4.5236020 - 9.2422029e-4 * day, TWOPI);
	stem = sin(xnodce);
	ctem = cos(xnodce);
	zcosil = 0.91375164 - 0.03568096 * ctem;
	zsinil = sqrt(1.0 - zcosil * zcosil);
	zsinhl = 0.089683511 * stem / zsinil;
	zcoshl = sqrt(1.0 - zsinhl * zsinhl);
	gam = 5.8351514 + 0.0019443680 * day;
	zx = 0.39785416 * stem / zsinil;
	zy = zcoshl * ctem + 0.91744867 * zsinhl * stem;
	zx = atan2(zx, zy);
	zx = gam + zx - xnodce;
	zcosgl = cos(zx);
	zsingl = sin(zx);

	/* First the solar terms (lsflg 1), then the lunar ones (lsflg 2). */
	zcosg = zcosgs;
	zsing = zsings;
	zcosi = zcosis;
	zsini = zsinis;
	zcosh = cnodm;
	zsinh = snodm;
	cc = c1ss;
	xnoi = 1.0 / nm;
	for (int lsflg = 1; lsflg <= 2; lsflg++) {
		a1 = zcosg * zcosh + zsing * zcosi * zsinh;
		a3 = -zsing * zcosh + zcosg * zcosi * zsinh;
		a7 = -zcosg * zsinh + zsing * zcosi * zcosh;
		a8 = zsing * zsini;
		a9 = zsing * zsinh + zcosg * zcosi * zcosh;
		a10 = zcosg * zsini;
		a2 = cosim * a7 + sinim * a8;
		a4 = cosim * a9 + sinim * a10;
		a5 = -sinim * a7 + cosim * a8;
		a6 = -sinim * a9 + cosim * a10;

		x1 = a1 * cosomm + a2 * sinomm;
		x2 = a3 * cosomm + a4 * sinomm;
		x3 = -a1 * sinomm + a2 * cosomm;
		x4 = -a3 * sinomm + a4 * cosomm;
		x5 = a5 * sinomm;
		x6 = a6 * sinomm;
		x7 = a5 * cosomm;
		x8 = a6 * cosomm;

		z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3;
		z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4;
		z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4;
		z1 = 3.0 * (a1 * a1 + a2 * a2) + z31 * emsq;
		z2 = 6.0 * (a1 * a3 + a2 * a4) + z32 * emsq;
		z3 = 3.0 * (a3 * a3 + a4 * a4) + z33 * emsq;
		z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5);
		z12 = -6.0 * (a1 * a6 + a3 * a5) +
		      emsq * (-24.0 * (x2 * x7 + x1 * x8) -
			      6.0 * (x3 * x6 + x4 * x5));
		z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6);
		z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7);
		z22 = 6.0 * (a4 * a5 + a2 * a6) +
		      emsq * (24.0 * (x2 * x5 + x1 * x6) -
			      6.0 * (x4 * x7 + x3 * x8));
		z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8);
		z1 = z1 + z1 + betasq * z31;
		z2 = z2 + z2 + betasq * z32;
		z3 = z3 + z3 + betasq * z33;
		s3 = cc * xnoi;
		s2 = -0.5 * s3 / rtemsq;
		s4 = s3 * rtemsq;
		s1 = -15.0 * em * s4;
		s5 = x1 * x3 + x2 * x4;
		s6 = x2 * x3 + x1 * x4;
		s7 = x2 * x4 - x1 * x3;

		if (lsflg == 1) {
			ss1 = s1;
			ss2 = s2;
			ss3 = s3;
			ss4 = s4;
			c->ss5 = s5;
			ss6 = s6;
			ss7 = s7;
			sz1 = z1;
			sz2 = z2;
			sz3 = z3;
			sz11 = z11;
			sz12 = z12;
			sz13 = z13;
			sz21 = z21;
			sz22 = z22;
			sz23 = z23;
			sz31 = z31;
			sz32 = z32;
			sz33 = z33;
			zcosg = zcosgl;
			zsing = zsingl;
			zcosi = zcosil;
			zsini = zsinil;
			zcosh = zcoshl * cnodm + zsinhl * snodm;
			zsinh = snodm * zcoshl - cnodm * zsinhl;
			cc = c1l;
		}
	}

	s->zmol = fmod(4.7199672 + 0.22997150 * day - gam, TWOPI);
	s->zmos = fmod(6.2565837 + 0.017201977 * day, TWOPI);

	/* Solar terms of the long-period periodics. */
	s->se2 = 2.0 * ss1 * ss6;
	s->se3 = 2.0 * ss1 * ss7;
	s->si2 = 2.0 * ss2 * sz12;
	s->si3 = 2.0 * ss2 * (sz13 - sz11);
	s->sl2 = -2.0 * ss3 * sz2;
	s->sl3 = -2.0 * ss3 * (sz3 - sz1);
	s->sl4 = -2.0 * ss3 * (-21.0 - 9.0 * emsq) * zes;
	s->sgh2 = 2.0 * ss4 * sz32;
	s->sgh3 = 2.0 * ss4 * (sz33 - sz31);
	s->sgh4 = -18.0 * ss4 * zes;
	s->sh2 = -2.0 * ss2 * sz22;
	s->sh3 = -2.0 * ss2 * (sz23 - sz21);

	/* Lunar terms. */
	s->ee2 = 2.0 * s1 * s6;
	s->e3 = 2.0 * s1 * s7;
	s->xi2 = 2.0 * s2 * z12;
	s->xi3 = 2.0 * s2 * (z13 - z11);
	s->xl2 = -2.0 * s3 * z2;
	s->xl3 = -2.0 * s3 * (z3 - z1);
	s->xl4 = -2.0 * s3 * (-21.0 - 9.0 * emsq) * zel;
	s->xgh2 = 2.0 * s4 * z32;
	s->xgh3 = 2.0 * s4 * (z33 - z31);
	s->xgh4 = -18.0 * s4 * zel;
	s->xh2 = -2.0 * s2 * z22;
	s->xh3 = -2.0 * s2 * (z23 - z21);

	c->sinim = sinim;
	c->cosim = cosim;
	c->emsq = emsq;
	c->s1 = s1;
	c->s2 = s2;
	c->s3 = s3;
	c->s4 = s4;
	c->s5 = s5;
	c->ss1 = ss1;
	c->ss2 = ss2;
	c->ss3 = ss3;
	c->ss4 = ss4;
	c->z1 = z1;
	c->z3 = z3;
	c->z11 = z11;
	c->z13 = z13;
	c->z21 = z21;
	c->z23 = z23;
	c->z31 = z31;
	c->z33 = z33;
	c->sz1 = sz1;
	c->sz3 = sz3;
	c->sz11 = sz11;
	c->sz13 = sz13;
	c->sz21 = sz21;
	c->sz23 = sz23;
	c->sz31 = sz31;
	c->sz33 = sz33;
}

/* dsinit, resonance of the 12-hour orbits: the d**** coefficients. */
static void sgp4_dsinit_half_day(struct sgp4_sat *s, double cosim, double sinim,
				 double aonv, double nm)
{
	const double root22 = 1.7891679e-6, root32 = 3.7393792e-7;
	const double root44 = 7.3636953e-9, root52 = 1.1428639e-7;
	const double root54 = 2.1765803e-9;
	double em = s->ecco, emsq = em * em, eoc = em * emsq;
	double cosisq = cosim * cosim, sini2 = sinim * sinim;
	double g201, g211, g310, g322, g410, g422, g520, g521, g532, g533;
	double f220, f221, f321, f322, f441, f442, f522, f523, f542, f543;
	double xno2, ainv2, temp1, temp;

	g201 = -0.306 - (em - 0.64) * 0.440;
	if (em <= 0.65) {
		g211 = 3.616 - 13.2470 * em + 16.2900 * emsq;
		g310 =
		    -19.302 + 117.3900 * em - 228.4190 * emsq + 156.5910 * eoc;
		g322 =
		    -18.9068 + 109.7927 * em - 214.6334 * emsq + 146.5816 * eoc;
		g410 =
		    -41.122 + 242.6940 * em - 471.0940 * emsq + 313.9530 * eoc;
		g422 = -146.407 + 841.8800 * em - 1629.014 * emsq +
		       1083.4350 * eoc;
		g520 = -532.114 + 3017.977 * em - 5740.032 * emsq +
		       3708.2760 * eoc;
	} else {
		g211 = -72.099 + 331.819 * em - 508.738 * emsq + 266.724 * eoc;
		g310 =
		    -346.844 + 1582.851 * em - 2415.925 * emsq + 1246.113 * eoc;
		g322 =
		    -342.585 + 1554.908 * em - 2366.899 * emsq + 1215.972 * eoc;
		g410 = -1052.797 + 4758.686 * em - 7193.992 * emsq +
		       3651.957 * eoc;
		g422 = -3581.690 + 16178.110 * em - 24462.770 * emsq +
		       12422.520 * eoc;
		if (em > 0.715)
			g520 = -5149.66 + 29936.92 * em - 54087.36 * emsq +
			       31324.56 * eoc;
		else
			g520 = 1464.74 - 4664.75 * em + 3763.64 * emsq;
	}
	if (em < 0.7) {
		g533 = -919.22770 + 4988.6100 * em - 9064.7700 * emsq +
		       5542.21 * eoc;
		g521 = -822.71072 + 4568.6173 * em - 8491.4146 * emsq +
		       5337.524 * eoc;
		g532 = -853.66600 + 4690.2500 * em - 8624.7700 * emsq +
		       5341.4 * eoc;
	} else {
		g533 = -37995.780 + 161616.52 * em - 229838.20 * emsq +
		       109377.94 * eoc;
		g521 = -51752.104 + 218913.95 * em - 309468.16 * emsq +
		       146349.42 * eoc;
		g532 = -40023.880 + 170470.89 * em - 242699.48 * emsq +
		       115605.82 * eoc;
	}

	f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq);
	f221 = 1.5 * sini2;
	f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq);
	f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq);
	f441 = 35.0 * sini2 * f220;
	f442 = 39.3750 * sini2 * sini2;
	f522 = 9.84375 * sinim *
	       (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq) +
		0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq));
	f523 =
	    sinim * (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq) +
		     6.56250012 * (1.0 + 2.0 * cosim - 3.0 * cosisq));
	f542 = 29.53125 * sinim *
	       (2.0 - 8.0 * cosim +
		cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq));
	f543 = 29.53125 * sinim *
	       (-2.0 - 8.0 * cosim +
		cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq));

	xno2 = nm * nm;
	ainv2 = aonv * aonv;
	temp1 = 3.0 * xno2 * ainv2;
	temp = temp1 * root22;
	s->d2201 = temp * f220 * g201;
	s->d2211 = temp * f221 * g211;
	temp1 = temp1 * aonv;
	temp = temp1 * root32;
	s->d3210 = temp * f321 * g310;
	s->d3222 = temp * f322 * g322;
	temp1 = temp1 * aonv;
	temp = 2.0 * temp1 * root44;
	s->d4410 = temp * f441 * g410;
	s->d4422 = temp * f442 * g422;
	temp1 = temp1 * aonv;
	temp = temp1 * root52;
	s->d5220 = temp * f522 * g520;
	s->d5232 = temp * f523 * g532;
	temp = 2.0 * temp1 * root54;
	s->d5421 = temp * f542 * g521;
	s->d5433 = temp * f543 * g533;
}

/*
 * dsinit: deep-space secular rates from the lunar-solar terms and, for the
 * resonant orbits (periods of about 12 h with e >= 0.5, and about 24 h), the
 * resonance coefficients and the integrator's starting point.
 */
static void sgp4_dsinit(struct sgp4_sat *s, const struct sgp4_dscom *c,
			double tc, double xpidot)
{
	const double q22 = 1.7891679e-6, q31 = 2.1460748e-6;
	const double q33 = 2.2123015e-7;
	const double znl = 1.5835218e-4, zns = 1.19459e-5;
	double nm = s->no_unkozai, em = s->ecco, emsq = c->emsq;
	double inclm = s->inclo, sinim = c->sinim, cosim = c->cosim;
	double ses, sis, sls, sghs, shs, sgs, sghl, shll, theta, aonv;

	s->irez = 0;
	if (nm < 0.0052359877 && nm > 0.0034906585)
		s->irez = 1;
	if (nm >= 8.26e-3 && nm <= 9.24e-3 && em >= 0.5)
		s->irez = 2;

	/* Solar terms. */
	ses = c->ss1 * zns * c->ss5;
	sis = c->ss2 * zns * (c->sz11 + c->sz13);
	sls = -zns * c->ss3 * (c->sz1 + c->sz3 - 14.0 - 6.0 * emsq);
	sghs = c->ss4 * zns * (c->sz31 + c->sz33 - 6.0);
	shs = -zns * c->ss2 * (c->sz21 + c->sz23);
	if (inclm < 5.2359877e-2 || inclm > TOPO_PI - 5.2359877e-2)
		shs = 0.0;
	if (sinim != 0.0)
		shs = shs / sinim;
	sgs = sghs - cosim * shs;

	/* Lunar terms. */
	s->dedt = ses + c->s1 * znl * c->s5;
	s->didt = sis + c->s2 * znl * (c->z11 + c->z13);
	s->dmdt = sls - znl * c->s3 * (c->z1 + c->z3 - 14.0 - 6.0 * emsq);
	sghl = c->s4 * znl * (c->z31 + c->z33 - 6.0);
	shll = -znl * c->s2 * (c->z21 + c->z23);
	if (inclm < 5.2359877e-2 || inclm > TOPO_PI - 5.2359877e-2)
		shll = 0.0;
	s->domdt = sgs + sghl;
	s->dnodt = shs;
	if (sinim != 0.0) {
		s->domdt = s->domdt - cosim / sinim * shll;
		s->dnodt = s->dnodt + shll / sinim;
	}

	if (s->irez == 0)
		return;

	/* Deep-space resonance effects. */
	theta = fmod(s->gsto + tc * RPTIM, TWOPI);
	aonv = pow(nm / XKE, X2O3);
	if (s->irez == 2) {
		sgp4_dsinit_half_day(s, cosim, sinim, aonv, nm);
		s->xlamo =
		    fmod(s->mo + s->nodeo + s->nodeo - theta - theta, TWOPI);
		s->xfact = s->mdot + s->dmdt +
			   2.0 * (s->nodedot + s->dnodt - RPTIM) -
			   s->no_unkozai;
	} else {
		double g200, g310, g300, f220, f311, f330;

		/* Synchronous resonance terms. */
		g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq);
		g310 = 1.0 + 2.0 * emsq;
		g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq);
		f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim);
		f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) -
		       0.75 * (1.0 + cosim);
		f330 = 1.0 + cosim;
		f330 = 1.875 * f330 * f330 * f330;
		s->del1 = 3.0 * nm * nm * aonv * aonv;
		s->del2 = 2.0 * s->del1 * f220 * g200 * q22;
		s->del3 = 3.0 * s->del1 * f330 * g300 * q33 * aonv;
		s->del1 = s->del1 * f311 * g310 * q31 * aonv;
		s->xlamo = fmod(s->mo + s->nodeo + s->argpo - theta, TWOPI);
		s->xfact = s->mdot + xpidot - RPTIM + s->dmdt + s->domdt +
			   s->dnodt - s->no_unkozai;
	}
	s->xli = s->xlamo;
	s->xni = s->no_unkozai;
	s->atime = 0.0;
}

/* The mean elements that sgp4 updates for time, then the periodics. */
struct sgp4_mean {
	double em, argpm, inclm, mm, nodem, nm;
};

/*
 * dspace: deep-space secular effects and, for resonant orbits, the
 * numerical integration of the mean longitude and mean motion in steps of
 * 720 minutes from epoch (restarted when t moves back towards epoch).
 */
static void sgp4_dspace(struct sgp4_sat *s, double t, struct sgp4_mean *m)
{
	const double fasx2 = 0.13130908, fasx4 = 2.8843198;
	const double fasx6 = 0.37448087;
	const double g22 = 5.7686396, g32 = 0.95240898, g44 = 1.8014998;
	const double g52 = 1.0508330, g54 = 4.4108898;
	const double stepp = 720.0, stepn = -720.0, step2 = 259200.0;
	double theta, delt, ft = 0.0, xndt = 0, xldot = 0, xnddt = 0, xl;

	theta = fmod(s->gsto + t * RPTIM, TWOPI);
	m->em += s->dedt * t;
	m->inclm += s->didt * t;
	m->argpm += s->domdt * t;
	m->nodem += s->dnodt * t;
	m->mm += s->dmdt * t;

	if (s->irez == 0)
		return;

	if (s->atime == 0.0 || t * s->atime <= 0.0 ||
	    fabs(t) < fabs(s->atime)) {
		s->atime = 0.0;
		s->xni = s->no_unkozai;
		s->xli = s->xlamo;
	}
	delt = t > 0.0 ? stepp : stepn;

	for (;;) {
		double xli = s->xli, xni = s->xni;

		if (s->irez != 2) {
			/* Near-synchronous resonance terms. */
			xndt = s->del1 * sin(xli - fasx2) +
			       s->del2 * sin(2.0 * (xli - fasx4)) +
			       s->del3 * sin(3.0 * (xli - fasx6));
			xldot = xni + s->xfact;
			xnddt = s->del1 * cos(xli - fasx2) +
				2.0 * s->del2 * cos(2.0 * (xli - fasx4)) +
				3.0 * s->del3 * cos(3.0 * (xli - fasx6));
			xnddt = xnddt * xldot;
		} else {
			/* Near half-day resonance terms. */
			double xomi = s->argpo + s->argpdot * s->atime;
			double x2omi = xomi + xomi, x2li = xli + xli;

			xndt = s->d2201 * sin(x2omi + xli - g22) +
			       s->d2211 * sin(xli - g22) +
			       s->d3210 * sin(xomi + xli - g32) +
			       s->d3222 * sin(-xomi + xli - g32) +
			       s->d4410 * sin(x2omi + x2li - g44) +
			       s->d4422 * sin(x2li - g44) +
			       s->d5220 * sin(xomi + xli - g52) +
			       s->d5232 * sin(-xomi + xli - g52) +
			       s->d5421 * sin(xomi + x2li - g54) +
			       s->d5433 * sin(-xomi + x2li - g54);
			xldot = xni + s->xfact;
			xnddt = s->d2201 * cos(x2omi + xli - g22) +
				s->d2211 * cos(xli - g22) +
				s->d3210 * cos(xomi + xli - g32) +
				s->d3222 * cos(-xomi + xli - g32) +
				s->d5220 * cos(xomi + xli - g52) +
				s->d5232 * cos(-xomi + xli - g52) +
				2.0 * (s->d4410 * cos(x2omi + x2li - g44) +
				       s->d4422 * cos(x2li - g44) +
				       s->d5421 * cos(xomi + x2li - g54) +
				       s->d5433 * cos(-xomi + x2li - g54));
			xnddt = xnddt * xldot;
		}

		if (fabs(t - s->atime) < stepp) {
			ft = t - s->atime;
			break;
		}
		s->xli = xli + xldot * delt + xndt * step2;
		s->xni = xni + xndt * delt + xnddt * step2;
		s->atime += delt;
	}

	m->nm = s->xni + xndt * ft + xnddt * ft * ft * 0.5;
	xl = s->xli + xldot * ft + xndt * ft * ft * 0.5;
	if (s->irez != 1)
		m->mm = xl - 2.0 * m->nodem + 2.0 * theta;
	else
		m->mm = xl - m->nodem - m->argpm + theta;
	/* As the paper: nm = no + dndt with dndt = nm - no. */
	m->nm = s->no_unkozai + (m->nm - s->no_unkozai);
}

/* The perturbed elements that the short-period periodics start from. */
struct sgp4_osc {
	double ep, xincp, nodep, argpp, mp;
};

/*
 * dpper: deep-space lunar-solar long-period periodics, zero at epoch.
 * Below 0.2 rad of (perturbed) inclination they are applied with Lyddane's
 * modification, as the paper chooses (the GSFC choice).
 */
static void sgp4_dpper(const struct sgp4_sat *s, double t, struct sgp4_osc *o)
{
	const double zns = 1.19459e-5, zes = 0.01675;
	const double znl = 1.5835218e-4, zel = 0.05490;
	double zm, zf, sinzf, f2, f3;
	double ses, sis, sls, sghs, shs, sel, sil, sll, sghl, shll;
	double pe, pinc, pl, pgh, ph, sinip, cosip;

	/* Time-varying periodics, solar then lunar. */
	zm = s->zmos + zns * t;
	zf = zm + 2.0 * zes * sin(zm);
	sinzf = sin(zf);
	f2 = 0.5 * sinzf * sinzf - 0.25;
	f3 = -0.5 * sinzf * cos(zf);
	ses = s->se2 * f2 + s->se3 * f3;
	sis = s->si2 * f2 + s->si3 * f3;
	sls = s->sl2 * f2 + s->sl3 * f3 + s->sl4 * sinzf;
	sghs = s->sgh2 * f2 + s->sgh3 * f3 + s->sgh4 * sinzf;
	shs = s->sh2 * f2 + s->sh3 * f3;

	zm = s->zmol + znl * t;
	zf = zm + 2.0 * zel * sin(zm);
	sinzf = sin(zf);
	f2 = 0.5 * sinzf * sinzf - 0.25;
	f3 = -0.5 * sinzf * cos(zf);
	sel = s->ee2 * f2 + s->e3 * f3;
	sil = s->xi2 * f2 + s->xi3 * f3;
	sll = s->xl2 * f2 + s->xl3 * f3 + s->xl4 * sinzf;
	sghl = s->xgh2 * f2 + s->xgh3 * f3 + s->xgh4 * sinzf;
	shll = s->xh2 * f2 + s->xh3 * f3;

	pe = ses + sel;
	pinc = sis + sil;
	pl = sls + sll;
	pgh = sghs + sghl;
	ph = shs + shll;

	o->xincp += pinc;
	o->ep += pe;
	sinip = sin(o->xincp);
	cosip = cos(o->xincp);

	if (o->xincp >= 0.2) {
		/* Apply the periodics directly. */
		ph = ph / sinip;
		pgh = pgh - cosip * ph;
		o->argpp += pgh;
		o->nodep += ph;
		o->mp += pl;
	} else {
		/* Apply the periodics with Lyddane's modification. */
		double sinop = sin(o->nodep), cosop = cos(o->nodep);
		double alfdp = sinip * sinop, betdp = sinip * cosop;
		double dalf = ph * cosop + pinc * cosip * sinop;
		double dbet = -ph * sinop + pinc * cosip * cosop;
		double xls, dls, xnoh;

		alfdp = alfdp + dalf;
		betdp = betdp + dbet;
		o->nodep = fmod(o->nodep, TWOPI);
		/* AFSPC's intrinsics used nodep without reducing it first. */
		if (o->nodep < 0.0 && s->opsmode == 'a')
			o->nodep += TWOPI;
		xls = o->mp + o->argpp + cosip * o->nodep;
		dls = pl + pgh - pinc * o->nodep * sinip;
		xls = xls + dls;
		xnoh = o->nodep;
		o->nodep = atan2(alfdp, betdp);
		if (o->nodep < 0.0 && s->opsmode == 'a')
			o->nodep += TWOPI;
		if (fabs(xnoh - o->nodep) > TOPO_PI) {
			if (o->nodep < xnoh)
				o->nodep += TWOPI;
			else
				o->nodep -= TWOPI;
		}
		o->mp += pl;
		o->argpp = xls - o->mp - cosip * o->nodep;
	}
}

/*
 * sgp4init (with initl): the constants of one satellite's propagation, then
 * a propagation to epoch, whose error code is returned, as the paper does.
 */
int sgp4_init(struct sgp4_sat *s, const struct sgp4_elements *el, char opsmode)
{
	const double temp4 = 1.5e-12;
	double epoch, eccsq, omeosq, rteosq, cosio, cosio2, cosio4, ak, d1;
	double del, adel, no, ao, sinio, po, con42, posq, rp;
	double ss, qzms2ttemp, qzms2t, sfour, qzms24, perige, pinvsq, tsi;
	double etasq, eeta, psisq, coef, coef1, cc2, cc3, temp1, temp2, temp3;
	double xhdot1, xpidot, delmotemp;
	struct vec3 r, v;

	memset(s, 0, sizeof(*s));
	s->el = *el;
	s->opsmode = opsmode == 'a' ? 'a' : 'i';
	s->ecco = el->ecco;
	s->inclo = el->inclo;
	s->nodeo = el->nodeo;
	s->argpo = el->argpo;
	s->mo = el->mo;
	s->bstar = el->bstar;

	/* Not in the paper: its formulas need 0 <= e < 1 and n > 0. */
	if (!(el->ecco >= 0.0 && el->ecco < 1.0))
		return s->error = SGP4_E_MEAN_ECC;
	if (!(el->no_kozai > 0.0) || !isfinite(el->no_kozai))
		return s->error = SGP4_E_MEAN_MOTION;

	/*
	 * Days from 1949 December 31 0h UT, the paper's sgp4 epoch, formed
	 * as twoline2rv does: from the Julian date rounded to one double
	 * (about 40 us). The lunar-solar terms of very eccentric orbits are
	 * that sensitive: the exact epoch moves set 23333 of the verification
	 * by 4e-6 km from tcppver.out.
	 */
	epoch = (el->epoch_jd + el->epoch_jdfrac) - 2433281.5;

	/* initl: recover the Brouwer mean motion from the Kozai one. */
	eccsq = s->ecco * s->ecco;
	omeosq = 1.0 - eccsq;
	rteosq = sqrt(omeosq);
	cosio = cos(s->inclo);
	cosio2 = cosio * cosio;
	ak = pow(XKE / el->no_kozai, X2O3);
	d1 = 0.75 * J2 * (3.0 * cosio2 - 1.0) / (rteosq * omeosq);
	del = d1 / (ak * ak);
	adel = ak *
	       (1.0 - del * del - del * (1.0 / 3.0 + 134.0 * del * del / 81.0));
	del = d1 / (adel * adel);
	no = el->no_kozai / (1.0 + del);
	ao = pow(XKE / no, X2O3);
	sinio = sin(s->inclo);
	po = ao * omeosq;
	con42 = 1.0 - 5.0 * cosio2;
	s->con41 = -con42 - cosio2 - cosio2;
	posq = po * po;
	rp = ao * (1.0 - s->ecco);

	if (s->opsmode == 'a') {
		/* AFSPC's sidereal time from 1970. */
		double ts70 = epoch - 7305.0;
		double ds70 = floor(ts70 + 1.0e-8);
		double tfrac = ts70 - ds70;
		const double c1 = 1.72027916940703639e-2;
		const double thgr70 = 1.7321343856509374;
		const double fk5r = 5.07551419432269442e-15;
		double c1p2p = c1 + TWOPI;

		s->gsto = fmod(thgr70 + c1 * ds70 + c1p2p * tfrac +
				   ts70 * ts70 * fk5r,
			       TWOPI);
		if (s->gsto < 0.0)
			s->gsto += TWOPI;
	} else {
		s->gsto = frames_gmst(epoch + 2433281.5);
	}

	s->no_unkozai = no;
	s->ao = ao;
	s->sinio = sinio;
	s->cosio = cosio;
	s->a = pow(no / XKE, -X2O3);
	s->alta = s->a * (1.0 + s->ecco) - 1.0;
	s->altp = s->a * (1.0 - s->ecco) - 1.0;

	/* Perigee below 220 km: the simplified drag equations. */
	s->isimp = rp < 220.0 / RE + 1.0;

	/* The atmosphere's s and q0 parameters, lowered for low perigees. */
	ss = 78.0 / RE + 1.0;
	qzms2ttemp = (120.0 - 78.0) / RE;
	qzms2t = qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp;
	sfour = ss;
	qzms24 = qzms2t;
	perige = (rp - 1.0) * RE;
	if (perige < 156.0) {
		double qzms24temp;

		sfour = perige - 78.0;
		if (perige < 98.0)
			sfour = 20.0;
		qzms24temp = (120.0 - sfour) / RE;
		qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp;
		sfour = sfour / RE + 1.0;
	}
	pinvsq = 1.0 / posq;

	tsi = 1.0 / (ao - sfour);
	s->eta = ao * s->ecco * tsi;
	etasq = s->eta * s->eta;
	eeta = s->ecco * s->eta;
	psisq = fabs(1.0 - etasq);
	coef = qzms24 * pow(tsi, 4.0);
	coef1 = coef / pow(psisq, 3.5);
	cc2 = coef1 * no *
	      (ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq)) +
	       0.375 * J2 * tsi / psisq * s->con41 *
		   (8.0 + 3.0 * etasq * (8.0 + etasq)));
	s->cc1 = s->bstar * cc2;
	cc3 = 0.0;
	if (s->ecco > 1.0e-4)
		cc3 = -2.0 * coef * tsi * J3OJ2 * no * sinio / s->ecco;
	s->x1mth2 = 1.0 - cosio2;
	s->cc4 = 2.0 * no * coef1 * ao * omeosq *
		 (s->eta * (2.0 + 0.5 * etasq) + s->ecco * (0.5 + 2.0 * etasq) -
		  J2 * tsi / (ao * psisq) *
		      (-3.0 * s->con41 *
			   (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta)) +
		       0.75 * s->x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq)) *
			   cos(2.0 * s->argpo)));
	s->cc5 = 2.0 * coef1 * ao * omeosq *
		 (1.0 + 2.75 * (etasq + eeta) + eeta * etasq);
	cosio4 = cosio2 * cosio2;
	temp1 = 1.5 * J2 * pinvsq * no;
	temp2 = 0.5 * temp1 * J2 * pinvsq;
	temp3 = -0.46875 * J4 * pinvsq * pinvsq * no;
	s->mdot =
	    no + 0.5 * temp1 * rteosq * s->con41 +
	    0.0625 * temp2 * rteosq * (13.0 - 78.0 * cosio2 + 137.0 * cosio4);
	s->argpdot = -0.5 * temp1 * con42 +
		     0.0625 * temp2 * (7.0 - 114.0 * cosio2 + 395.0 * cosio4) +
		     temp3 * (3.0 - 36.0 * cosio2 + 49.0 * cosio4);
	xhdot1 = -temp1 * cosio;
	s->nodedot = xhdot1 + (0.5 * temp2 * (4.0 - 19.0 * cosio2) +
			       2.0 * temp3 * (3.0 - 7.0 * cosio2)) *
				  cosio;
	xpidot = s->argpdot + s->nodedot;
	s->omgcof = s->bstar * cc3 * cos(s->argpo);
	s->xmcof = 0.0;
	if (s->ecco > 1.0e-4)
		s->xmcof = -X2O3 * coef * s->bstar / eeta;
	s->nodecf = 3.5 * omeosq * xhdot1 * s->cc1;
	s->t2cof = 1.5 * s->cc1;
	/* Avoid a division by zero at an inclination of 180 degrees. */
	if (fabs(cosio + 1.0) > 1.5e-12)
		s->xlcof =
		    -0.25 * J3OJ2 * sinio * (3.0 + 5.0 * cosio) / (1.0 + cosio);
	else
		s->xlcof = -0.25 * J3OJ2 * sinio * (3.0 + 5.0 * cosio) / temp4;
	s->aycof = -0.5 * J3OJ2 * sinio;
	delmotemp = 1.0 + s->eta * cos(s->mo);
	s->delmo = delmotemp * delmotemp * delmotemp;
	s->sinmao = sin(s->mo);
	s->x7thm1 = 7.0 * cosio2 - 1.0;

	/* Deep space: periods of 225 minutes and more. */
	if (2.0 * TOPO_PI / no >= 225.0) {
		struct sgp4_dscom c = {0};

		s->deep = true;
		s->isimp = true;
		sgp4_dscom(s, epoch, 0.0, &c);
		sgp4_dsinit(s, &c, 0.0, xpidot);
	}

	/* The higher-order drag terms, unless simplified. */
	if (!s->isimp) {
		double cc1sq = s->cc1 * s->cc1, temp;

		s->d2 = 4.0 * ao * tsi * cc1sq;
		temp = s->d2 * tsi * s->cc1 / 3.0;
		s->d3 = (17.0 * ao + sfour) * temp;
		s->d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) *
			s->cc1;
		s->t3cof = s->d2 + 2.0 * cc1sq;
		s->t4cof = 0.25 * (3.0 * s->d3 +
				   s->cc1 * (12.0 * s->d2 + 10.0 * cc1sq));
		s->t5cof = 0.2 * (3.0 * s->d4 + 12.0 * s->cc1 * s->d3 +
				  6.0 * s->d2 * s->d2 +
				  15.0 * cc1sq * (2.0 * s->d2 + cc1sq));
	}

	return sgp4_propagate(s, 0.0, &r, &v);
}

/*
 * sgp4: secular gravity and drag, deep-space effects, long-period
 * periodics, Kepler's equation, short-period periodics, and the orientation
 * vectors; r in km and v in km/s in TEME.
 */
int sgp4_propagate(struct sgp4_sat *s, double t, struct vec3 *r, struct vec3 *v)
{
	const double temp4 = 1.5e-12;
	struct sgp4_mean m;
	struct sgp4_osc o;
	double xmdf, argpdf, nodedf, t2, tempa, tempe, templ, am, xlm;
	double sinip, cosip, aycof, xlcof, con41, x1mth2, x7thm1;
	double sinargp, cosargp, axnl, aynl, xl, u, eo1, eo1_prev = 0, tem5;
	double temp;
	double sineo1 = 0, coseo1 = 0, ecose, esine, el2, pl;
	double rl, rdotl, rvdotl, betal, sinu, cosu, sin2u, cos2u;
	double temp1, temp2, mrt, xnode, dinc, dsu, nrm, mvt, rvdot, sqrtam;
	double sinsu, cossu, snod, cnod, sini, cosi, xmx, xmy;
	double ux, uy, uz, vx, vy, vz;

	/* Not initialised, or sgp4_init refused the elements. */
	if (!(s->no_unkozai > 0.0))
		return s->error ? s->error : SGP4_E_MEAN_MOTION;
	if (!(fabs(t) <= SGP4_MAX_TSINCE))
		return s->error = SGP4_E_TIME;
	s->error = SGP4_OK;

	/* Secular gravity and atmospheric drag. */
	xmdf = s->mo + s->mdot * t;
	argpdf = s->argpo + s->argpdot * t;
	nodedf = s->nodeo + s->nodedot * t;
	m.argpm = argpdf;
	m.mm = xmdf;
	t2 = t * t;
	m.nodem = nodedf + s->nodecf * t2;
	tempa = 1.0 - s->cc1 * t;
	tempe = s->bstar * s->cc4 * t;
	templ = s->t2cof * t2;

	if (!s->isimp) {
		double delomg = s->omgcof * t, sinmdf, cosmdf, sinmm, cosmm;
		double delmtemp, delm, t3 = t2 * t, t4 = t3 * t;

		sincos(xmdf, &sinmdf, &cosmdf);
		delmtemp = 1.0 + s->eta * cosmdf;
		delm = s->xmcof * (delmtemp * delmtemp * delmtemp - s->delmo);
		temp = delomg + delm;
		m.mm = xmdf + temp;
		m.argpm = argpdf - temp;
		if (fabs(temp) <= SMALL_ANGLE)
			sgp4_rotate(sinmdf, cosmdf, temp, &sinmm, &cosmm);
		else
			sinmm = sin(m.mm);
		tempa = tempa - s->d2 * t2 - s->d3 * t3 - s->d4 * t4;
		tempe = tempe + s->bstar * s->cc5 * (sinmm - s->sinmao);
		templ = templ + s->t3cof * t3 + t4 * (s->t4cof + t * s->t5cof);
	}

	m.nm = s->no_unkozai;
	m.em = s->ecco;
	m.inclm = s->inclo;
	if (s->deep) {
		sgp4_dspace(s, t, &m);
		if (m.nm <= 0.0)
			return s->error = SGP4_E_MEAN_MOTION;
		am = pow(XKE / m.nm, X2O3) * tempa * tempa;
	} else {
		am = s->ao * tempa * tempa;
	}
	sqrtam = sqrt(am);
	m.nm = XKE / (am * sqrtam);
	m.em = m.em - tempe;

	if (m.em >= 1.0 || m.em < -0.001)
		return s->error = SGP4_E_MEAN_ECC;
	if (m.em < 1.0e-6)
		m.em = 1.0e-6;
	m.mm = m.mm + s->no_unkozai * templ;
	xlm = m.mm + m.argpm + m.nodem;
	m.nodem = fmod(m.nodem, TWOPI);
	m.argpm = fmod(m.argpm, TWOPI);
	xlm = fmod(xlm, TWOPI);
	m.mm = fmod(xlm - m.argpm - m.nodem, TWOPI);

	o.ep = m.em;
	o.xincp = m.inclm;
	o.argpp = m.argpm;
	o.nodep = m.nodem;
	o.mp = m.mm;

	if (s->deep) {
		/* Lunar-solar periodics. */
		sgp4_dpper(s, t, &o);
		if (o.xincp < 0.0) {
			o.xincp = -o.xincp;
			o.nodep = o.nodep + TOPO_PI;
			o.argpp = o.argpp - TOPO_PI;
		}
		if (o.ep < 0.0 || o.ep > 1.0)
			return s->error = SGP4_E_PERT_ECC;

		/* The long-period coefficients of the perturbed orbit. */
		sincos(o.xincp, &sinip, &cosip);
		aycof = -0.5 * J3OJ2 * sinip;
		if (fabs(cosip + 1.0) > 1.5e-12)
			xlcof = -0.25 * J3OJ2 * sinip * (3.0 + 5.0 * cosip) /
				(1.0 + cosip);
		else
			xlcof =
			    -0.25 * J3OJ2 * sinip * (3.0 + 5.0 * cosip) / temp4;
		con41 = 3.0 * cosip * cosip - 1.0;
		x1mth2 = 1.0 - cosip * cosip;
		x7thm1 = 7.0 * cosip * cosip - 1.0;
	} else {
		sinip = s->sinio;
		cosip = s->cosio;
		aycof = s->aycof;
		xlcof = s->xlcof;
		con41 = s->con41;
		x1mth2 = s->x1mth2;
		x7thm1 = s->x7thm1;
	}

	/* Long-period periodics. */
	sincos(o.argpp, &sinargp, &cosargp);
	axnl = o.ep * cosargp;
	temp = 1.0 / (am * (1.0 - o.ep * o.ep));
	aynl = o.ep * sinargp + temp * aycof;
	xl = o.mp + o.argpp + o.nodep + temp * xlcof * axnl;

	/* Kepler's equation, by Newton steps of at most 0.95 rad. */
	u = fmod(xl - o.nodep, TWOPI);
	eo1 = u;
	sincos(eo1, &sineo1, &coseo1);
	tem5 = 9999.9;
	for (int ktr = 1; fabs(tem5) >= 1.0e-12 && ktr <= 10; ktr++) {
		double prev = eo1;

		if (ktr > 1) {
			/* sin and cos of eo1 after the step below */
			if (fabs(tem5) <= SMALL_ANGLE)
				sgp4_rotate(sineo1, coseo1, eo1 - eo1_prev,
					    &sineo1, &coseo1);
			else
				sincos(eo1, &sineo1, &coseo1);
		}
		tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl;
		tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5;
		if (fabs(tem5) >= 0.95)
			tem5 = tem5 > 0.0 ? 0.95 : -0.95;
		eo1 = eo1 + tem5;
		eo1_prev = prev;
	}

	/* Short-period periodics. */
	ecose = axnl * coseo1 + aynl * sineo1;
	esine = axnl * sineo1 - aynl * coseo1;
	el2 = axnl * axnl + aynl * aynl;
	pl = am * (1.0 - el2);
	if (pl < 0.0)
		return s->error = SGP4_E_SEMI_LATUS;

	rl = am * (1.0 - ecose);
	rdotl = sqrtam * esine / rl;
	rvdotl = sqrt(pl) / rl;
	betal = sqrt(1.0 - el2);
	temp = esine / (1.0 + betal);
	sinu = am / rl * (sineo1 - aynl - axnl * temp);
	cosu = am / rl * (coseo1 - axnl + aynl * temp);
	sin2u = (cosu + cosu) * sinu;
	cos2u = 1.0 - 2.0 * sinu * sinu;
	temp = 1.0 / pl;
	temp1 = 0.5 * J2 * temp;
	temp2 = temp1 * temp;

	mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) +
	      0.5 * temp1 * x1mth2 * cos2u;
	dsu = -0.25 * temp2 * x7thm1 * sin2u;
	xnode = o.nodep + 1.5 * temp2 * cosip * sin2u;
	dinc = 1.5 * temp2 * cosip * sinip * cos2u;
	mvt = rdotl - m.nm * temp1 * x1mth2 * sin2u / XKE;
	rvdot = rvdotl + m.nm * temp1 * (x1mth2 * cos2u + 1.5 * con41) / XKE;

	/* Orientation vectors. su = atan2(sinu, cosu) + dsu. */
	nrm = sinu * sinu + cosu * cosu;
	if (fabs(dsu) <= SMALL_ANGLE && nrm > 0.0) {
		nrm = 1.0 / sqrt(nrm);
		sgp4_rotate(sinu * nrm, cosu * nrm, dsu, &sinsu, &cossu);
	} else {
		sincos(atan2(sinu, cosu) + dsu, &sinsu, &cossu);
	}
	sincos(xnode, &snod, &cnod);
	if (fabs(dinc) <= SMALL_ANGLE)
		sgp4_rotate(sinip, cosip, dinc, &sini, &cosi);
	else
		sincos(o.xincp + dinc, &sini, &cosi);
	xmx = -snod * cosi;
	xmy = cnod * cosi;
	ux = xmx * sinsu + cnod * cossu;
	uy = xmy * sinsu + snod * cossu;
	uz = sini * sinsu;
	vx = xmx * cossu - cnod * sinsu;
	vy = xmy * cossu - snod * sinsu;
	vz = sini * cossu;

	r->x = mrt * ux * RE;
	r->y = mrt * uy * RE;
	r->z = mrt * uz * RE;
	v->x = (mvt * ux + rvdot * vx) * VKMPERSEC;
	v->y = (mvt * uy + rvdot * vy) * VKMPERSEC;
	v->z = (mvt * uz + rvdot * vz) * VKMPERSEC;

	/*
	 * Below the Earth's surface: decayed (r and v are still set). A NaN
	 * (from elements that are not numbers) is reported the same way.
	 */
	if (!(mrt >= 1.0))
		return s->error = SGP4_E_DECAYED;
	return SGP4_OK;
}

double sgp4_tsince(const struct sgp4_sat *s, int64_t unix_ns)
{
	int64_t d;

	if (__builtin_sub_overflow(unix_ns, s->el.epoch_unix_ns, &d))
		return unix_ns < s->el.epoch_unix_ns ? -INFINITY : INFINITY;
	return (double)d / 60e9;
}

const char *sgp4_error_str(int code)
{
	static const char *const why[] = {
		[SGP4_OK] = "no error",
		[SGP4_E_MEAN_ECC] = "mean elements out of range (eccentricity "
				    "not 0 to 1, or semi-major axis below "
				    "0.95 Earth radii: decayed)",
		[SGP4_E_MEAN_MOTION] = "mean motion not positive",
		[SGP4_E_PERT_ECC] = "perturbed eccentricity out of range "
				    "(not 0 to 1)",
		[SGP4_E_SEMI_LATUS] = "semi-latus rectum negative",
		[SGP4_E_SUBORBITAL] = "epoch elements are sub-orbital",
		[SGP4_E_DECAYED] = "satellite has decayed",
		[SGP4_E_TIME] = "time too far from the element epoch "
				"(over 190 years)",
	};

	if (code < 0 || (size_t)code >= ARRAY_SIZE(why))
		return "unknown error";
	return why[code];
}
