# A port of CPython's Lib/test/test_long.py (3.13): the cases about multiplying and dividing
# big integers (getran, check_division, test_division, test_karatsuba), and a product of many
# numbers, the tutorial's CPU job, checked against division and known digits. The Python tab's
# integers are malachite's, whose limb multiplication on wasm32 is the playground's
# (python/patches/malachite-nz-0.12.0.patch): these cases check it against other paths (shifts,
# division) and known values, natively (python/tests/cpython.rs) and in the browser
# (tests/e2e/python.test.mjs). What differs: CPython's digit size is named, not read from
# sys.int_info (the values are what is checked, any size does), the random numbers are seeded,
# and the suite ends by printing OK or raising SystemExit(1).
import math
import random
import sys
import unittest
from functools import reduce

SHIFT = 30
BASE = 2**SHIFT
MASK = BASE - 1
KARATSUBA_CUTOFF = 70  # from longobject.c
MAXDIGITS = 15

random.seed(2026)


class LongTest(unittest.TestCase):
    # Get quasi-random long consisting of ndigits digits (in base BASE). quasi == the most-
    # significant digit will not be 0, and the number is constructed to contain long strings of
    # 0 and 1 bits. These are more likely than random bits to provoke digit-boundary errors. The
    # sign of the number is also random.
    def getran(self, ndigits):
        self.assertGreater(ndigits, 0)
        nbits_hi = ndigits * SHIFT
        nbits_lo = nbits_hi - SHIFT + 1
        answer = 0
        nbits = 0
        r = int(random.random() * (SHIFT * 2)) | 1  # force 1 bits to start
        while nbits < nbits_lo:
            bits = (r >> 1) + 1
            bits = min(bits, nbits_hi - nbits)
            self.assertTrue(1 <= bits <= SHIFT)
            nbits = nbits + bits
            answer = answer << bits
            if r & 1:
                answer = answer | ((1 << bits) - 1)
            r = int(random.random() * (SHIFT * 2))
        self.assertTrue(nbits_lo <= nbits <= nbits_hi)
        if random.random() < 0.5:
            answer = -answer
        return answer

    def check_division(self, x, y):
        eq = self.assertEqual
        with self.subTest(x=x, y=y):
            q, r = divmod(x, y)
            q2, r2 = x // y, x % y
            pab, pba = x * y, y * x
            eq(pab, pba, "multiplication does not commute")
            eq(q, q2, "divmod returns different quotient than /")
            eq(r, r2, "divmod returns different mod than %")
            eq(x, q * y + r, "x != q*y + r after divmod")
            if y > 0:
                self.assertTrue(0 <= r < y, "bad mod from divmod")
            else:
                self.assertTrue(y < r <= 0, "bad mod from divmod")

    def test_division(self):
        digits = list(range(1, MAXDIGITS + 1)) + list(range(KARATSUBA_CUTOFF, KARATSUBA_CUTOFF + 14))
        digits.append(KARATSUBA_CUTOFF * 3)
        for lenx in digits:
            x = self.getran(lenx)
            for leny in digits:
                y = self.getran(leny) or 1
                self.check_division(x, y)

        # specific numbers chosen to exercise corner cases of the current long division
        # implementation

        # 30-bit cases involving a quotient digit estimate of BASE+1
        self.check_division(
            1231948412290879395966702881, 1147341367131428698
        )
        self.check_division(
            815427756481275430342312021515587883, 707270836069027745
        )
        self.check_division(
            627976073697012820849443363563599041, 643588798496057020
        )
        self.check_division(
            1115141373653752303710932756325578065, 1038556335171453937726882627
        )
        # 30-bit cases that require the post-subtraction correction step
        self.check_division(
            922498905405436751940989320930368494, 949985870686786135626943396
        )
        self.check_division(
            768235853328091167204009652174031844, 1091555541180371554426545266
        )

        # 15-bit cases involving a quotient digit estimate of BASE+1
        self.check_division(20172188947443, 615611397)
        self.check_division(1020908530270155025, 950795710)
        self.check_division(128589565723112408, 736393718)
        self.check_division(609919780285761575, 18613274546784)
        # 15-bit cases that require the post-subtraction correction step
        self.check_division(710031681576388032, 26769404391308)
        self.check_division(1933622614268221, 30212853348836)

    def test_karatsuba(self):
        digits = list(range(1, 5)) + list(range(KARATSUBA_CUTOFF, KARATSUBA_CUTOFF + 10))
        digits.extend([KARATSUBA_CUTOFF * 10, KARATSUBA_CUTOFF * 100])

        bits = [digit * SHIFT for digit in digits]

        # Test products of long strings of 1 bits -- (2**x-1)*(2**y-1) ==
        # 2**(x+y) - 2**x - 2**y + 1, so the proper result is easy to check.
        for abits in bits:
            a = (1 << abits) - 1
            for bbits in bits:
                if bbits < abits:
                    continue
                with self.subTest(abits=abits, bbits=bbits):
                    b = (1 << bbits) - 1
                    x = a * b
                    y = (1 << (abits + bbits)) - (1 << abits) - (1 << bbits) + 1
                    self.assertEqual(x, y)

    # Not CPython's: the tutorial's CPU job (In [2]), a product of random numbers below a
    # million, each step a big number times a one-limb one; and 1000!, whose digits are known.
    def test_product_of_many_numbers(self):
        numbers = random.sample(range(1, 1000000), 2000)
        product = reduce(lambda x, y: x * y, numbers)
        self.assertEqual(product, math.prod(numbers))
        for n in numbers[::97]:
            self.assertEqual(product % n, 0)
            self.assertEqual((product // n) * n, product)
        factorial = reduce(lambda x, y: x * y, range(1, 1001))
        self.assertEqual(len(str(factorial)), 2568)
        self.assertEqual(sum(map(int, str(factorial))), 10539)
        self.assertEqual(factorial, math.factorial(1000))
        self.assertEqual(factorial * 1001 * 1002, math.factorial(1002))
        # Limbs whose products carry into the next: all ones, times all ones.
        self.assertEqual((2**640 - 1) * (2**64 - 1), (1 << 704) - (1 << 640) - (1 << 64) + 1)
        self.assertEqual((2**640 - 1) * (2**32 + 1), (1 << 672) + (1 << 640) - (1 << 32) - 1)


def run(cases):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in cases:
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    if not result.wasSuccessful():
        raise SystemExit(1)
    print(f"OK: {result.testsRun} cases of CPython's test_long.py")


run([LongTest])
