"""Satisfaction surveys (SKM, PermenPANRB 14/2017): the pure SKM and IKM maths,
when to offer a survey and how answers are taken, and the IKM reports."""
