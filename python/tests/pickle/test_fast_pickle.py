# The Rust pickling of what multiprocessing sends (python/src/pickle.rs, `_pp_pickle`), against
# pickle.py: whatever it writes pickle.py reads back equal, whatever pickle.py writes it reads
# back equal or leaves to pickle.py, shared references stay shared, and everything it does not
# take goes to pickle.py, CPython's errors included. Some cases after CPython's
# Lib/test/pickletester.py (test_ints, test_long, test_float, test_unicode, test_recursive_*).

import pickle
import sys
import unittest
from multiprocessing import connection
from multiprocessing.pool import mapstar
from multiprocessing.reduction import ForkingPickler

import _pp_pickle


def square(x):
    return x * x


class Outer:
    class Inner:
        pass


class MyInt(int):
    pass


def refuse(obj):
    raise LookupError('handed to pickle.py')


class FastPickleTest(unittest.TestCase):
    def fast(self, obj):
        return _pp_pickle.dumps(obj, refuse)

    def roundtrip(self, obj):
        data = self.fast(obj)
        self.assertEqual(data[:2], b'\x80\x04')
        by_python = pickle.loads(data)
        by_rust = _pp_pickle.loads(data, refuse)
        self.assertEqual(by_python, obj)
        self.assertEqual(by_rust, obj)
        self.assertIs(type(by_rust), type(obj))
        # And pickle.py's own bytes, at every protocol that has the opcodes read here.
        for proto in (4, 5):
            self.assertEqual(_pp_pickle.loads(pickle.dumps(obj, proto), refuse), obj)
        return by_rust

    def test_plain_values(self):
        for obj in [None, True, False, 0, 1, 255, 256, 65535, 65536, -1, -128, -129,
                    2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**63, -2**63, 2**64 + 1,
                    3**2000, -(3**2000), 499999666667166666000000,
                    0.0, -0.0, 1.5, 1e308, float('inf'), -float('inf'),
                    '', 'a', 'x' * 300, '中文', '\U0001f600', b'', b'\x00\xff', b'y' * 70000,
                    (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1], [1, 2], list(range(2500)),
                    {}, {'a': 1}, {i: str(i) for i in range(2100)}, {(1, 2): [3, {'b': None}]}]:
            with self.subTest(obj=repr(obj)[:40]):
                self.roundtrip(obj)

    def test_nan(self):
        self.assertNotEqual(*[_pp_pickle.loads(self.fast(float('nan')), refuse)] * 2)

    def test_a_pool_task_and_its_result(self):
        task = (3, 5, mapstar, ((square, (7,)),), {})
        loaded = self.roundtrip(task)
        self.assertIs(loaded[2], mapstar)
        self.assertIs(loaded[3][0][0], square)
        self.roundtrip((3, 5, (True, [49])))

    def test_functions_and_classes_by_name(self):
        for obj in [square, Outer, Outer.Inner, len.__class__, unittest.TestCase, pickle.loads.__class__]:
            with self.subTest(obj=obj):
                try:
                    data = self.fast(obj)
                except LookupError:
                    continue  # not a plain function or class: pickle.py's
                self.assertIs(pickle.loads(data), obj)
                self.assertIs(_pp_pickle.loads(data, refuse), obj)
        self.assertIs(self.roundtrip(Outer.Inner), Outer.Inner)
        # The module's name written once, read back the second time.
        data = self.fast([square, FastPickleTest])
        self.assertEqual(data.count(b'__main__'), 1)
        self.assertEqual(pickle.loads(data), [square, FastPickleTest])

    def test_shared_references_stay_shared(self):
        inner = [1, 2]
        for obj in [[inner, inner], (inner, inner), {'a': inner, 'b': inner}]:
            loaded = self.roundtrip(obj)
            a, b = loaded.values() if isinstance(loaded, dict) else loaded
            self.assertIs(a, b)

    def test_recursive_list_and_dict(self):
        lst = [1]
        lst.append(lst)
        for loaded in (pickle.loads(self.fast(lst)), _pp_pickle.loads(self.fast(lst), refuse)):
            self.assertIs(loaded[1], loaded)
        d = {}
        d['self'] = d
        loaded = _pp_pickle.loads(self.fast(d), refuse)
        self.assertIs(loaded['self'], loaded)

    def test_what_it_leaves_to_pickle_py(self):
        lst = []
        recursive_tuple = (lst,)
        lst.append(recursive_tuple)
        deep = []
        for _ in range(200):
            deep = [deep]
        for obj in [lambda: 1, MyInt(3), {1, 2}, frozenset(), 1j, bytearray(b'a'), Outer(),
                    square.__code__, '\ud800', recursive_tuple, deep, [1, (lambda: 2)], sys]:
            with self.subTest(obj=type(obj)):
                with self.assertRaises(LookupError):
                    self.fast(obj)
        # Through multiprocessing's own path, pickle.py does them, or raises its errors.
        self.assertEqual(ForkingPickler.loads(connection.dumps({1, 2})), {1, 2})
        loaded = connection.loads(connection.dumps(recursive_tuple))
        self.assertIs(loaded[0][0], loaded)
        self.assertEqual(len(str(connection.loads(connection.dumps(deep)))), 2 * 201)
        with self.assertRaises((pickle.PicklingError, AttributeError)) as caught:
            connection.dumps(lambda: 1)
        self.assertIn('lambda', str(caught.exception))
        with self.assertRaises(TypeError):
            connection.dumps(sys)

    def test_what_it_leaves_to_pickle_py_when_loading(self):
        for data in [pickle.dumps(1, 2), pickle.dumps({1, 2}), pickle.dumps(MyInt(3)),
                     b'\x80\x04K\x01', b'\x80\x04X\xff\xff\xff\xff', b'\x80\x04(J\x01\x00\x00\x00u.',
                     b'\x80\x04}]Ns.', pickle.dumps(square, 4).replace(b'square', b'squaXX'),
                     b'\x80\x04\x8c\x02\xed\xa0\x94.']:
            with self.subTest(data=data):
                with self.assertRaises(LookupError):
                    _pp_pickle.loads(data, refuse)
        # pickle.py reads what it can, and raises its own errors for the rest.
        self.assertEqual(connection.loads(pickle.dumps({1, 2})), {1, 2})
        with self.assertRaises((EOFError, pickle.UnpicklingError)):
            connection.loads(b'\x80\x04K\x01')  # no STOP
        with self.assertRaises(TypeError):
            connection.loads(b'\x80\x04}]Ns.')  # a list as a dict's key
        self.assertEqual(connection.loads(memoryview(self.fast([1, 'a']))), [1, 'a'])


def run(cases):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in cases:
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    if not result.wasSuccessful():
        raise SystemExit(1)
    print(f"OK: {result.testsRun} cases of the Rust pickler against pickle.py")


run([FastPickleTest])
