/* SPDX-License-Identifier: MIT */
/* vec.h - three-vectors in km (or km/s) and the few operations geometry needs */
#ifndef TOPO_VEC_H
#define TOPO_VEC_H

#include <math.h>

struct vec3 {
	double x, y, z;
};

static inline struct vec3 vec3_add(struct vec3 a, struct vec3 b)
{
	return (struct vec3){ a.x + b.x, a.y + b.y, a.z + b.z };
}

static inline struct vec3 vec3_sub(struct vec3 a, struct vec3 b)
{
	return (struct vec3){ a.x - b.x, a.y - b.y, a.z - b.z };
}

static inline struct vec3 vec3_scale(struct vec3 a, double k)
{
	return (struct vec3){ a.x * k, a.y * k, a.z * k };
}

static inline double vec3_dot(struct vec3 a, struct vec3 b)
{
	return a.x * b.x + a.y * b.y + a.z * b.z;
}

static inline struct vec3 vec3_cross(struct vec3 a, struct vec3 b)
{
	return (struct vec3){ a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z,
			      a.x * b.y - a.y * b.x };
}

static inline double vec3_norm(struct vec3 a)
{
	return sqrt(vec3_dot(a, a));
}

static inline double vec3_dist(struct vec3 a, struct vec3 b)
{
	return vec3_norm(vec3_sub(a, b));
}

#endif
